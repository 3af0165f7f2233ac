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
import traceback
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from engine import __version__
from engine.job_runner import load_backend, run_job
from engine.protocol import (
    JOB_COMMANDS,
    Cancel,
    Error,
    ErrorCode,
    Hello,
    JobCommand,
    LineReader,
    Message,
    ProtocolError,
    Shutdown,
    Transcribe,
)
from engine.stdio import ProtocolWriter, claim_stdout

if TYPE_CHECKING:
    from engine.backend import Backend
    from engine.batches.audio_cache import AudioCache

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

    jobs: queue.Queue[JobCommand | None] = field(default_factory=queue.Queue)
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
            if isinstance(message, JOB_COMMANDS):
                inbox.jobs.put(message)  # type: ignore[arg-type]
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
        backend = load_backend(args, threads)
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
    from engine.batches.audio_cache import AudioCache

    cache = AudioCache()
    while (job := inbox.jobs.get()) is not None:
        with inbox.lock:
            inbox.running = job.job
        writer.send(_run_job(backend, job, inbox, writer, cache))
        with inbox.lock:
            inbox.running = None
            inbox.cancelled.discard(job.job)
    return 0


def _run_job(
    backend: Backend, job: JobCommand, inbox: _Inbox, writer: ProtocolWriter, cache: AudioCache
) -> Message:
    """Run one job to its single end message (engine.job_runner, shared with Ray actors)."""
    if isinstance(job, Transcribe):
        return run_job(backend, job, inbox, writer.send)
    from engine.batches.parts import run_part

    return run_part(backend, job, inbox, writer.send, cache)
