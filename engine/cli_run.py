"""The event-loop side of `funscribe transcribe`: the pool, outputs, Ctrl-C and the summary."""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QSocketNotifier

from engine.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Plan
from engine.cli_progress import ProgressView, Summary
from engine.export import FORMATS, write
from engine.pool.jobs import Job, JobState
from engine.pool.pool import PoolConfig, WorkerPool
from engine.speakers.embeddings import save_beside
from engine.transcript import Transcript


def run(plan: Plan, config: PoolConfig | None = None) -> int:
    """Transcribe the plan's inputs and write their outputs; returns the exit status.

    `config`: the pool to run on instead of the plan's (tests run stand-in workers)."""
    _app = QCoreApplication.instance() or QCoreApplication(["funscribe"])
    runner = _Runner(plan, ProgressView(sys.stderr), config)
    with _Interrupts(runner.interrupt):
        return runner.exec()


class _Runner(QObject):
    """Submits every input, writes each finished transcript, quits when the queue is empty."""

    def __init__(self, plan: Plan, view: ProgressView, config: PoolConfig | None = None) -> None:
        super().__init__()
        self._plan = plan
        self._view = view
        self._loop = QEventLoop()
        # With our own workers, files run as batches (one long file spreads over every
        # worker); the checkpoints live for this run only. Stand-in workers run whole files.
        self._checkpoints = tempfile.TemporaryDirectory(prefix="funscribe-") if not config else None
        config = config or PoolConfig(
            model_args=plan.models_args, workers=plan.workers, threads=plan.threads
        )
        folder = self._checkpoints.name if self._checkpoints is not None else None
        self._pool = WorkerPool(config, self, checkpoints=folder)
        self._pool.jobChanged.connect(self._on_changed)
        self._pool.idle.connect(self._loop.quit)
        self._paths: dict[str, Path] = {}
        self._write_errors: dict[str, str] = {}
        self._reported: set[str] = set()
        self._interrupted: int | None = None

    def exec(self) -> int:
        started = time.monotonic()
        for note in self._plan.notes:
            self._view.message(f"note: {note}")
        try:
            for path in self._plan.inputs:
                job_id = self._pool.submit(str(path), self._plan.options)
                self._paths[job_id] = path
            self._pool.start()
            if any(not j.state.finished for j in self._pool.jobs()):
                self._loop.exec()
            broken = self._pool.broken_reasons()
        finally:
            self._pool.shutdown()
            if self._checkpoints is not None:
                self._checkpoints.cleanup()
        self._view.close()
        summary = self._summary(time.monotonic() - started)
        summary.broken = broken
        for line in summary.lines():
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        if self._interrupted == signal.SIGINT:
            return EXIT_INTERRUPTED
        if self._interrupted is not None:
            return 128 + self._interrupted  # SIGTERM: 143, as a shell reports it
        return EXIT_OK if summary.done == len(self._plan.inputs) else EXIT_FAILED

    def interrupt(self, signum: int) -> None:
        """Ctrl-C: cancel everything, stop the workers, leave the loop."""
        if self._interrupted is not None:
            return
        self._interrupted = signum
        self._view.message("interrupted: stopping workers")
        for job in self._pool.jobs():
            self._pool.cancel(job.id)
        self._pool.shutdown()
        self._loop.quit()

    def _on_changed(self, job_id: str) -> None:
        job = self._pool.job(job_id)
        self._view.update(job)
        if not job.state.finished or job_id in self._reported:
            return
        self._reported.add(job_id)
        name = str(self._paths.get(job_id, job.path))
        if job.state is JobState.DONE:
            try:
                written = write_outputs(job, self._plan.outputs[Path(job.path)], self._plan.formats)
            except (OSError, ValueError) as exc:
                self._write_errors[job_id] = f"could not write output: {exc}"
                self._view.message(f"failed     {name}: {self._write_errors[job_id]}")
                return
            shown = ", ".join(str(p) for p in written)
            self._view.message(f"done       {name} -> {shown}")
        elif job.state is JobState.FAILED:
            self._view.message(f"failed     {name}: {_reason(job)}")
        elif job.state is JobState.CANCELLED:
            self._view.message(f"cancelled  {name}")

    def _summary(self, wall: float) -> Summary:
        summary = Summary(wall_seconds=wall)
        for job in self._pool.jobs():
            name = str(self._paths.get(job.id, job.path))
            if job.id in self._write_errors:
                summary.failed.append((name, self._write_errors[job.id]))
            elif job.state is JobState.DONE:
                summary.done += 1
                summary.audio_seconds += job.audio_seconds or 0.0
            elif job.state is JobState.FAILED:
                summary.failed.append((name, _reason(job)))
            else:
                summary.cancelled += 1  # cancelled, or never started before an interrupt
        return summary


def _reason(job: Job) -> str:
    code = f" [{job.error_code.value}]" if job.error_code else ""
    return f"{job.error_message or 'failed'}{code}"


def write_outputs(job: Job, base: Path, formats: list[str]) -> list[Path]:
    """Write the job's transcript as BASE.<ext> for each format; returns the paths written."""
    assert job.transcript is not None
    transcript = Transcript.from_worker_result(job.transcript)
    written: list[Path] = []
    for fmt in formats:
        path = base.with_name(f"{base.name}.{FORMATS[fmt].extension}")
        write(transcript, fmt, path)
        written.append(path)
        if fmt == "json":  # `funscribe recluster` reads the speaker embeddings beside it
            save_beside(job.transcript, path)
    return written


class _Interrupts:
    """SIGINT/SIGTERM seen inside the Qt loop: the C handler wakes a socket notifier."""

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        self._on_signal = on_signal
        self._active = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> _Interrupts:
        if not self._active:
            return self
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno())
        # A Python-level handler must exist for the wakeup byte to be written; it does nothing.
        self._old = {s: signal.signal(s, lambda *_: None) for s in (signal.SIGINT, signal.SIGTERM)}
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)
        return self

    def _drain(self) -> None:
        try:
            data = self._read.recv(64)
        except OSError:
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signum in data:
                self._on_signal(int(signum))
                return

    def __exit__(self, *exc: object) -> None:
        if not self._active:
            return
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._old_fd)
        for signum, handler in self._old.items():
            signal.signal(signum, handler)
        for end in (self._read, self._write):
            with contextlib.suppress(OSError):
                end.close()
