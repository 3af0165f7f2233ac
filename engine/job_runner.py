"""One job on a loaded model set: audio -> `Backend.transcribe` -> the worker's end message.

Shared by the worker process (engine.worker) and the Ray actor (engine.cluster.actor), so that
both produce the same transcript dict and the same error codes for the same file.
"""

from __future__ import annotations

import argparse
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from engine.protocol import Error, ErrorCode, Message, Progress, Result, Segment, Stage, Transcribe

if TYPE_CHECKING:
    import numpy as np

    from engine.backend import Backend


class JobControl(Protocol):
    """Whether the running job should stop, and how it then ends."""

    def is_cancelled(self, job: str) -> bool: ...

    def end_code(self, job: str) -> ErrorCode: ...


def load_backend(args: argparse.Namespace, threads: int) -> Backend:
    """The model set named by the worker arguments (`--models DIR` or `--asr ...`), loaded."""
    from engine.model_set import ModelSet
    from engine.models.verify import check_model_set, models_from_dir

    if args.models:
        models = models_from_dir(args.models)
    elif args.asr:
        models = ModelSet(asr=args.asr, vad=args.vad, punc=args.punc, spk=args.spk)
    else:
        raise ValueError("no model set given (use --models DIR or --asr ...)")
    # Fail in milliseconds, naming the model, before torch and funasr are even imported.
    check_model_set(models)
    from engine.backend import Backend

    return Backend(models, threads=threads, device=args.device)


def run_job(
    backend: Backend,
    job: Transcribe,
    control: JobControl,
    send: Callable[[Message], None],
    audio: np.ndarray | None = None,
) -> Result | Error:
    """Run one job to its single end message; `audio` given: already decoded, not read again."""
    from engine.audio import SAMPLE_RATE, AudioError, decode_audio
    from engine.backend import JobCancelled, JobHooks
    from engine.result_shape import transcript_dict
    from engine.speakers.embeddings import attach_to_result

    def cancelled() -> bool:
        return control.is_cancelled(job.job)

    def on_decode(done_ms: int, total_ms: int) -> None:
        if cancelled():
            raise JobCancelled
        send(Progress(job.job, Stage.DECODE, done_ms, total_ms, done_ms, total_ms))

    def on_progress(stage: Stage, done: int, total: int, ms_done: int, ms_total: int) -> None:
        send(Progress(job.job, stage, done, total, ms_done, ms_total))

    def on_segment(start: int, end: int, text: str) -> None:
        send(Segment(job.job, start, end, text))

    started = time.perf_counter()
    try:
        if audio is None:
            audio = decode_audio(job.path, on_decode)
        decoded = time.perf_counter()
        duration_ms = audio.size * 1000 // SAMPLE_RATE
        raw: list[dict[str, Any]] = []
        embeddings = None
        if audio.size:
            hooks = JobHooks(progress=on_progress, segment=on_segment, cancelled=cancelled)
            raw = backend.transcribe(audio, job.options, hooks)
            embeddings = backend.speaker_embeddings
        transcript = transcript_dict(raw, job.path, duration_ms, backend.models.as_dict())
        attach_to_result(transcript, embeddings)
        finished = time.perf_counter()
        stats = {
            "audio_seconds": duration_ms / 1000,
            "decode_seconds": round(decoded - started, 4),
            "infer_seconds": round(finished - decoded, 4),
        }
        return Result(job=job.job, transcript=transcript, stats=stats)
    except AudioError as exc:
        return Error(job=job.job, code=exc.code, message=str(exc))
    except JobCancelled:
        code = control.end_code(job.job)
        return Error(job=job.job, code=code, message=code.value)
    except Exception as exc:
        return failure(job.job, exc)


def failure(job: str, exc: BaseException) -> Error:
    """The error for an exception in a job; out of memory is told by the exception's type."""
    code = ErrorCode.OUT_OF_MEMORY if is_out_of_memory(exc) else ErrorCode.INTERNAL
    return Error(job, code, f"{type(exc).__name__}: {exc}", traceback.format_exc())


def is_out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or torch's OutOfMemoryError (by class name: torch stays out of here)."""
    return isinstance(exc, MemoryError) or any(
        cls.__name__ == "OutOfMemoryError" for cls in type(exc).__mro__
    )
