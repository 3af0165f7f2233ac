"""Inside the worker: the `plan`, `batch` and `assemble` commands, each to its one end message.

Each part takes the file's audio from the worker's `AudioCache` (engine/batches/audio_cache.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.batches import store
from engine.batches.audio_cache import AudioCache
from engine.batches.plan import (
    BATCH_SIZE_THRESHOLD_S,
    FilePlan,
    batch_size_s,
    models_identity,
    plan_key,
    source_identity,
)
from engine.job_runner import JobControl, JobEvents, finished_result, guarded
from engine.protocol import (
    Assemble,
    BatchDone,
    Message,
    Plan,
    Planned,
    Progress,
    RunBatch,
    Stage,
)

if TYPE_CHECKING:
    from engine.backend import Backend


def run_part(
    backend: Backend,
    command: Plan | RunBatch | Assemble,
    control: JobControl,
    send: Callable[[Message], None],
    cache: AudioCache,
) -> Message:
    """Run one part of a split file to its end message (`planned`, `batch_done` or `result`)."""
    events = JobEvents(command.job, control, send)
    if isinstance(command, Plan):
        return guarded(command.job, control, lambda: _plan(backend, command, events, cache))
    if isinstance(command, RunBatch):
        return guarded(command.job, control, lambda: _batch(backend, command, events, cache))
    try:
        return guarded(command.job, control, lambda: _assemble(backend, command, events, cache))
    finally:
        cache.forget(command.path)


def current_key(backend: Backend, command: Plan | RunBatch | Assemble, size: int) -> str:
    """The plan key for this file, model set, batch size and the options that change a
    batch's result."""
    asr_options = {
        "hotwords": command.options.hotwords.strip(),
        "diarize": command.options.diarize,
        "batch_size_s": size,
        "batch_size_threshold_s": BATCH_SIZE_THRESHOLD_S,
    }
    models = models_identity(backend.models.as_dict())
    return plan_key(source_identity(command.path), models, asr_options)


def _plan(backend: Backend, command: Plan, events: JobEvents, cache: AudioCache) -> Message:
    from engine.audio import SAMPLE_RATE
    from engine.batches.calls import SplitCalls

    if backend.models.vad is None:
        raise ValueError("a file runs as batches only with a VAD model")
    audio = cache.get(command.path, events.on_decode)
    size = batch_size_s(backend.effective_device)
    key = current_key(backend, command, size)
    plan = store.load_plan(command.folder)
    if plan is None or plan.key != key:
        store.remove(command.folder)  # another file, model set or options: nothing to reuse
        calls = SplitCalls()
        if audio.size:
            backend.transcribe(audio, command.options, events.hooks(), calls)
        audio_ms = audio.size * 1000 // SAMPLE_RATE
        plan = FilePlan.build(key, audio_ms, calls.vad or [], size, BATCH_SIZE_THRESHOLD_S)
        store.save_plan(command.folder, plan)
    done = store.finished_batches(command.folder, plan)
    return Planned(command.job, plan.audio_ms, plan.batch_ms(), done)


def _checked_plan(backend: Backend, command: RunBatch | Assemble) -> FilePlan:
    plan = store.load_plan(command.folder)
    size = batch_size_s(backend.effective_device)
    if plan is None or plan.key != current_key(backend, command, size):
        raise RuntimeError(f"no current plan in {command.folder}; plan the file again")
    return plan


def _batch(backend: Backend, command: RunBatch, events: JobEvents, cache: AudioCache) -> Message:
    from engine.batches.calls import SplitCalls

    plan = _checked_plan(backend, command)
    start, end = plan.batches[command.index]
    speech_ms = plan.batch_ms()[command.index]
    existing = store.load_batch(command.folder, command.index)
    if existing is not None and len(existing.asr) == end - start:
        return BatchDone(command.job, command.index, speech_ms, reused=True)
    audio = cache.get(command.path, events.on_decode)
    segments, order = plan.segments, plan.order
    done = {"segments": 0, "ms": 0}

    def on_segment(position: int, item: dict[str, Any]) -> None:
        seg_start, seg_end = segments[order[position]]
        done["segments"] += 1
        done["ms"] += seg_end - seg_start
        text = str(item.get("text", "")).strip()
        if text:
            events.on_segment(seg_start, seg_end, text)
        events.send(
            Progress(command.job, Stage.ASR, done["segments"], end - start, done["ms"], speech_ms)
        )

    speakers = backend.has_speakers and command.options.diarize
    calls = SplitCalls(
        plan,
        run=(start, end),
        on_segment=on_segment,
        speakers=speakers,
        only_the_batch=backend.runs_segments_alone,
    )
    backend.transcribe(audio, command.options, events.hooks(), calls)
    store.save_batch(command.folder, command.index, calls.batch_result())
    return BatchDone(command.job, command.index, speech_ms)


def _assemble(backend: Backend, command: Assemble, events: JobEvents, cache: AudioCache) -> Message:
    from engine.batches.calls import SplitCalls

    started = time.perf_counter()
    plan = _checked_plan(backend, command)
    stored = {}
    for index in range(len(plan.batches)):
        result = store.load_batch(command.folder, index)
        if result is None:
            raise RuntimeError(f"batch {index} of {Path(command.folder).name} is missing")
        stored[index] = result
    audio = cache.get(command.path, events.on_decode)
    decoded = time.perf_counter()
    raw: list[dict[str, Any]] = []
    if audio.size:
        raw = backend.transcribe(
            audio, command.options, events.hooks(), SplitCalls(plan, stored=stored)
        )
    stats = {
        "decode_seconds": round(decoded - started, 4),
        "infer_seconds": round(time.perf_counter() - decoded, 4),
    }
    return finished_result(backend, command.job, command.path, raw, audio.size, stats)
