"""The engine worker process: one model set, one job at a time, JSON lines on stdin/stdout.

The model runs on the main thread (torch's intra-op threads did not engage from a helper
thread: 1.8x slower measured). A small reader thread takes commands off stdin so that a
`cancel` is seen while a job runs.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from engine import __version__
from engine.protocol import (
    Cancel,
    Error,
    ErrorCode,
    Hello,
    LineReader,
    Progress,
    ProtocolError,
    Result,
    Segment,
    Shutdown,
    Stage,
    Transcribe,
)
from engine.stdio import ProtocolWriter, claim_stdout

if TYPE_CHECKING:
    from engine.backend import Backend

THREADS_ENV = "FUNSCRIBE_THREADS"
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
EXIT_MODEL_LOAD_FAILED = 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Worker options: which models, how many threads, which device."""
    parser = argparse.ArgumentParser(prog="funscribe --engine", description=__doc__)
    parser.add_argument("--models", help="folder holding asr/vad/punc/spk model folders")
    for role in ("asr", "vad", "punc", "spk"):
        parser.add_argument(f"--{role}", help=f"{role} model folder or hub id")
    parser.add_argument("--threads", type=int, default=None, help=f"torch threads (${THREADS_ENV})")
    parser.add_argument("--device", default="cpu")
    return parser.parse_args(argv)


def limit_threads(threads: int) -> None:
    """Set thread counts before numpy/torch are imported, so their pools start at that size."""
    for name in _THREAD_VARS:
        os.environ[name] = str(threads)


def go_offline() -> None:
    """Local model folders need no hub; never let a library phone home from a worker."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("MODELSCOPE_OFFLINE", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")


@dataclass
class _Inbox:
    """Commands read by the stdin thread, and the cancel flag it raises for the running job."""

    jobs: queue.Queue[Transcribe | None] = field(default_factory=queue.Queue)
    cancelled: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    running: str | None = None
    stopping: bool = False  # `shutdown` or end of input: the running job ends `stopped`

    def is_cancelled(self, job: str) -> bool:
        with self.lock:
            return self.stopping or job in self.cancelled

    def end_code(self, job: str) -> ErrorCode:
        """How an interrupted job ends: the user's cancel wins over our own stop."""
        with self.lock:
            return ErrorCode.CANCELLED if job in self.cancelled else ErrorCode.STOPPED


def _read_commands(stdin: IO[bytes], inbox: _Inbox, writer: ProtocolWriter) -> None:
    def bad_line(line: bytes, error: ProtocolError) -> None:
        # A transcribe with bad options names its job: that job ends here, it never waits.
        writer.send(Error(job=error.job, code=ErrorCode.BAD_REQUEST, message=f"bad line: {error}"))

    reader = LineReader(bad_line)
    while True:
        data = stdin.readline()
        if not data:
            break  # parent closed our stdin (or died): finish up and exit
        for message in reader.feed(data if data.endswith(b"\n") else data + b"\n"):
            if isinstance(message, Transcribe):
                inbox.jobs.put(message)
            elif isinstance(message, Cancel):
                with inbox.lock:
                    inbox.cancelled.add(message.job)
            elif isinstance(message, Shutdown):
                break
            else:
                bad_line(data, ProtocolError(f"{message.type} is not a command"))
        else:
            continue
        break
    with inbox.lock:
        inbox.stopping = True
    inbox.jobs.put(None)


def main(argv: list[str] | None = None) -> int:
    """Run the worker until `shutdown` or end of stdin; returns the exit status."""
    args = parse_args(argv)
    threads = args.threads or int(os.environ.get(THREADS_ENV, "1"))
    limit_threads(threads)
    go_offline()
    writer = ProtocolWriter(claim_stdout())
    try:
        backend = _load_backend(args, threads)
    except Exception as exc:
        writer.send(
            Error(
                job=None,
                code=ErrorCode.MODEL_LOAD_FAILED,
                message=f"could not load models: {exc}",
                detail=traceback.format_exc(),
            )
        )
        return EXIT_MODEL_LOAD_FAILED
    from engine.backend import device_name

    writer.send(
        Hello(
            engine_version=__version__,
            pid=os.getpid(),
            device=device_name(backend.device),
            threads=threads,
            models=backend.models.as_dict(),
            load_seconds=round(backend.load_seconds, 3),
        )
    )
    inbox = _Inbox()
    reader = threading.Thread(
        target=_read_commands, args=(sys.stdin.buffer, inbox, writer), daemon=True
    )
    reader.start()
    while (job := inbox.jobs.get()) is not None:
        with inbox.lock:
            inbox.running = job.job
        writer.send(_run_job(backend, job, inbox, writer))
        with inbox.lock:
            inbox.running = None
            inbox.cancelled.discard(job.job)
    return 0


def _load_backend(args: argparse.Namespace, threads: int) -> Backend:
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


def _run_job(
    backend: Backend, job: Transcribe, inbox: _Inbox, writer: ProtocolWriter
) -> Result | Error:
    """Run one job to its single end message."""
    from engine.audio import SAMPLE_RATE, AudioError, decode_audio
    from engine.backend import JobCancelled, JobHooks
    from engine.result_shape import transcript_dict
    from engine.speakers.embeddings import attach_to_result

    def cancelled() -> bool:
        return inbox.is_cancelled(job.job)

    def on_decode(done_ms: int, total_ms: int) -> None:
        if cancelled():
            raise JobCancelled
        writer.send(Progress(job.job, Stage.DECODE, done_ms, total_ms, done_ms, total_ms))

    def on_progress(stage: Stage, done: int, total: int, ms_done: int, ms_total: int) -> None:
        writer.send(Progress(job.job, stage, done, total, ms_done, ms_total))

    def on_segment(start: int, end: int, text: str) -> None:
        writer.send(Segment(job.job, start, end, text))

    started = time.perf_counter()
    try:
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
        code = inbox.end_code(job.job)
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
