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

    from engine.backend import Backend, JobHooks


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


class JobEvents:
    """The callbacks a running job reports through: cancel checks, decode, progress, segments."""

    def __init__(self, job: str, control: JobControl, send: Callable[[Message], None]) -> None:
        self.job = job
        self.control = control
        self.send = send

    def cancelled(self) -> bool:
        """Whether the job should stop now."""
        return self.control.is_cancelled(self.job)

    def on_decode(self, done_ms: int, total_ms: int) -> None:
        """Decode progress; also a cancel point."""
        from engine.backend import JobCancelled

        if self.cancelled():
            raise JobCancelled
        self.send(Progress(self.job, Stage.DECODE, done_ms, total_ms, done_ms, total_ms))

    def on_progress(self, stage: Stage, done: int, total: int, ms_done: int, ms_total: int) -> None:
        """Pipeline progress."""
        self.send(Progress(self.job, stage, done, total, ms_done, ms_total))

    def on_segment(self, start: int, end: int, text: str) -> None:
        """One segment's recognised text."""
        self.send(Segment(self.job, start, end, text))

    def hooks(self) -> JobHooks:
        """The pipeline's view of these callbacks."""
        from engine.backend import JobHooks

        return JobHooks(
            progress=self.on_progress, segment=self.on_segment, cancelled=self.cancelled
        )


def guarded(job: str, control: JobControl, body: Callable[[], Message]) -> Message:
    """Run `body` to the job's one end message; failures and cancels become `error`."""
    from engine.audio import AudioError
    from engine.backend import JobCancelled

    try:
        return body()
    except AudioError as exc:
        return Error(job=job, code=exc.code, message=str(exc))
    except JobCancelled:
        code = control.end_code(job)
        return Error(job=job, code=code, message=code.value)
    except Exception as exc:
        return failure(job, exc)


def finished_result(
    backend: Backend,
    job: str,
    path: str,
    raw: list[dict[str, Any]],
    samples: int,
    stats: dict[str, float],
) -> Result:
    """The `result` for FunASR's output `raw` on `samples` of audio from `path`."""
    from engine.audio import SAMPLE_RATE
    from engine.result_shape import transcript_dict
    from engine.speakers.embeddings import attach_to_result

    duration_ms = samples * 1000 // SAMPLE_RATE
    transcript = transcript_dict(raw, path, duration_ms, backend.models.as_dict())
    attach_to_result(transcript, backend.speaker_embeddings if samples else None)
    return Result(
        job=job, transcript=transcript, stats={"audio_seconds": duration_ms / 1000, **stats}
    )


def run_job(
    backend: Backend,
    job: Transcribe,
    control: JobControl,
    send: Callable[[Message], None],
    audio: np.ndarray | None = None,
) -> Result | Error:
    """Run one job to its single end message; `audio` given: already decoded, not read again."""
    events = JobEvents(job.job, control, send)

    def body() -> Message:
        from engine.audio import decode_audio

        started = time.perf_counter()
        samples = audio if audio is not None else decode_audio(job.path, events.on_decode)
        decoded = time.perf_counter()
        raw: list[dict[str, Any]] = []
        if samples.size:
            raw = backend.transcribe(samples, job.options, events.hooks())
        stats = {
            "decode_seconds": round(decoded - started, 4),
            "infer_seconds": round(time.perf_counter() - decoded, 4),
        }
        return finished_result(backend, job.job, job.path, raw, samples.size, stats)

    end = guarded(job.job, control, body)
    assert isinstance(end, Result | Error)
    return end


def failure(job: str, exc: BaseException) -> Error:
    """The error for an exception in a job; out of memory is told by the exception's type."""
    code = ErrorCode.OUT_OF_MEMORY if is_out_of_memory(exc) else ErrorCode.INTERNAL
    return Error(job, code, f"{type(exc).__name__}: {exc}", traceback.format_exc())


def is_out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or torch's OutOfMemoryError (by class name: torch stays out of here)."""
    return isinstance(exc, MemoryError) or any(
        cls.__name__ == "OutOfMemoryError" for cls in type(exc).__mro__
    )
