"""One worker process behind a QProcess: protocol events in, typed Qt signals out.

Every QProcess signal is connected here and nowhere else. A job's end is emitted exactly once,
whether the worker answers, fails to start, fails to load its models or dies mid-job: the
synthesized error names the exit code and the tail of the worker's stderr. When we stop a
worker ourselves we set `_abort` first, so its end is never guessed from an exit code.
"""

from __future__ import annotations

import logging
import os
import signal

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from engine.pool import procs
from engine.pool.procs import NOT_STARTED, describe_exit, last_message
from engine.protocol import (
    Cancel,
    Error,
    ErrorCode,
    Hello,
    LineReader,
    Message,
    Progress,
    Result,
    Segment,
    Shutdown,
    Transcribe,
    encode,
)

__all__ = ["NOT_STARTED", "WorkerHandle", "describe_exit", "last_message"]

log = logging.getLogger(__name__)

_STDERR_TAIL_BYTES = 8192


class WorkerHandle(QObject):
    """A worker process running one job at a time; start() it, then run() jobs on it."""

    ready = Signal(object)  # Hello
    progressed = Signal(str, object)  # job id, Progress
    segmented = Signal(str, object)  # job id, Segment
    jobEnded = Signal(str, object)  # job id, Result | Error — exactly once per job
    exited = Signal(int)  # exit code; negative: killed by that signal; NOT_STARTED

    cancel_grace_ms = 1000  # a cancel not answered by then stops the process
    stop_grace_ms = 1000  # between SIGTERM and SIGKILL
    shutdown_grace_ms = 5000  # a `shutdown` not obeyed by then stops the process

    def __init__(
        self,
        program: str,
        args: list[str],
        env: dict[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._program = program
        self._args = list(args)
        self._process = QProcess(self)
        if env is not None:
            environment = QProcessEnvironment()
            for key, value in env.items():
                environment.insert(key, value)
            self._process.setProcessEnvironment(environment)
        # Own session and process group: a kill reaches the worker's children too, and the
        # terminal's Ctrl-C reaches only us (we then stop workers in order).
        self._own_group = os.name == "posix" and hasattr(self._process, "setUnixProcessParameters")
        if self._own_group:
            self._process.setUnixProcessParameters(QProcess.UnixProcessFlag.CreateNewSession)
        self._process.started.connect(self._on_started)
        self._process.finished.connect(self._on_finished)
        self._process.errorOccurred.connect(self._on_error)
        self._process.readyReadStandardOutput.connect(self._on_stdout)
        self._process.readyReadStandardError.connect(self._on_stderr)
        self._reader = LineReader(self._on_bad_line)
        self._stderr = bytearray()
        self._pid: int | None = None
        self._hello: Hello | None = None
        self._load_error: Error | None = None
        self._job: Transcribe | None = None
        self._sent = False
        self._abort: str | None = None
        self._stopping = False
        self._exit_code: int | None = None
        self._cancel_timer = self._timer(self._force_cancel)
        self._term_timer = self._timer(self.terminate)
        self._kill_timer = self._timer(self.kill)

    def _timer(self, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # ---- state ---------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The worker's process id once started."""
        return self._pid

    @property
    def busy(self) -> bool:
        """True while a job is assigned (including one waiting for the models to load)."""
        return self._job is not None

    @property
    def job_id(self) -> str | None:
        """The id of the assigned job, if any."""
        return self._job.job if self._job else None

    @property
    def is_ready(self) -> bool:
        """Models loaded (hello received) and the process still running."""
        return self._hello is not None and self._exit_code is None

    @property
    def accepting(self) -> bool:
        """Can take a job now: alive, not being stopped, no job assigned."""
        return self._exit_code is None and not self._stopping and self._job is None

    @property
    def exited_code(self) -> int | None:
        """The exit code once the process is gone, else None."""
        return self._exit_code

    @property
    def hello(self) -> Hello | None:
        """The worker's hello, once its models are loaded."""
        return self._hello

    @property
    def failure(self) -> Error | None:
        """Why the worker never became ready (start or model load failure), once known."""
        if self._hello is not None:
            return None
        if self._load_error is not None:
            return self._load_error
        if self._exit_code is None:
            return None
        return self._death_error(self._exit_code, "")

    def stderr_tail(self, lines: int = 20) -> str:
        """The last lines the worker wrote to stderr."""
        text = bytes(self._stderr).decode("utf-8", "replace")
        return "\n".join(text.splitlines()[-lines:])

    def rss_bytes(self) -> int:
        """Resident memory of the worker and its children; 0 when unknown."""
        return procs.rss_bytes(self._pid) if self._pid and self._exit_code is None else 0

    # ---- commands --------------------------------------------------------------------------

    def start(self) -> None:
        """Start the process; `ready` follows once its models are loaded."""
        self._process.start(self._program, self._args)

    def run(self, command: Transcribe) -> None:
        """Assign a job; it is sent as soon as the worker is ready."""
        if not self.accepting:
            raise RuntimeError("worker cannot take a job now")
        self._job = command
        self._sent = False
        if self.is_ready:
            self._send_job()

    def cancel(self) -> None:
        """Cancel the assigned job: ask the worker, stop the process if it does not answer."""
        if self._job is None:
            return
        if not self._sent:
            self._end_job(Error(self._job.job, ErrorCode.CANCELLED, "cancelled"))
            return
        self._write(Cancel(job=self._job.job))
        self._cancel_timer.start(self.cancel_grace_ms)

    def shutdown(self) -> None:
        """Ask the worker to exit (after its job), stopping it if it does not in time."""
        if self._exit_code is not None or self._stopping:
            return
        self._stopping = True
        if not self.is_ready:
            self.terminate()  # still loading: it would read `shutdown` only after loading
            return
        self._write(Shutdown())
        self._process.closeWriteChannel()
        self._term_timer.start(self.shutdown_grace_ms)

    def terminate(self) -> None:
        """SIGTERM to the worker's process group; SIGKILL follows if it lingers."""
        self._stopping = True
        self._abort = self._abort or "stopped"
        if self._running():
            self._signal(signal.SIGTERM)
            self._process.terminate()
            self._kill_timer.start(self.stop_grace_ms)

    def kill(self) -> None:
        """SIGKILL to the worker's process group at once."""
        self._stopping = True
        self._abort = self._abort or "killed"
        if self._running():
            self._signal(signal.SIGKILL)
            self._process.kill()

    def wait(self, msecs: int) -> bool:
        """Block until the process is gone (signals are delivered meanwhile); False on timeout."""
        if not self._running():
            return True
        return bool(self._process.waitForFinished(max(msecs, 0)))

    # ---- internals -------------------------------------------------------------------------

    def _running(self) -> bool:
        return self._process.state() != QProcess.ProcessState.NotRunning

    def _signal(self, sig: signal.Signals) -> None:
        if self._pid is None:
            return
        if self._own_group:
            procs.signal_group(self._pid, sig)
        else:
            procs.signal_descendants(self._pid, sig)

    def _write(self, message: Message) -> None:
        if self._process.state() == QProcess.ProcessState.Running:
            self._process.write(encode(message))

    def _send_job(self) -> None:
        assert self._job is not None
        self._sent = True
        self._write(self._job)

    def _end_job(self, end: Result | Error) -> None:
        job, self._job, self._sent = self._job, None, False
        self._cancel_timer.stop()
        if job is not None:
            self.jobEnded.emit(job.job, end)

    def _force_cancel(self) -> None:
        if self._job is None:
            return
        self._abort = "cancelled"
        log.info("worker %s did not answer cancel in time; stopping it", self._pid)
        self._end_job(Error(self._job.job, ErrorCode.CANCELLED, "cancelled (worker stopped)"))
        self.terminate()

    def _on_started(self) -> None:
        self._pid = int(self._process.processId()) or None

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart:
            if error != QProcess.ProcessError.Crashed:
                log.warning("worker %s: %s", self._pid, self._process.errorString())
            return
        # `finished` never comes for a process that did not start: end everything here.
        self._exit_code = NOT_STARTED
        message = f"could not start worker {self._program!r}: {self._process.errorString()}"
        self._load_error = Error(None, ErrorCode.WORKER_START_FAILED, message)
        if self._job is not None:
            self._end_job(Error(self._job.job, ErrorCode.WORKER_START_FAILED, message))
        self.exited.emit(NOT_STARTED)

    def _on_stdout(self) -> None:
        data = bytes(self._process.readAllStandardOutput().data())
        for message in self._reader.feed(data):
            self._on_message(message)

    def _on_stderr(self) -> None:
        self._stderr += bytes(self._process.readAllStandardError().data())
        del self._stderr[:-_STDERR_TAIL_BYTES]

    def _on_bad_line(self, line: bytes, why: str) -> None:
        log.warning("worker %s: ignored line (%s): %r", self._pid, why, line[:200])

    def _on_message(self, message: Message) -> None:
        current = self._job.job if self._job else None
        if isinstance(message, Hello):
            self._hello = message
            self.ready.emit(message)
            if self._job is not None and not self._sent:
                self._send_job()
        elif isinstance(message, Progress | Segment):
            if message.job == current:
                signal_ = self.progressed if isinstance(message, Progress) else self.segmented
                signal_.emit(message.job, message)
        elif isinstance(message, Result | Error) and message.job is not None:
            if message.job == current:
                self._end_job(message)
        elif isinstance(message, Error):
            if message.code == ErrorCode.MODEL_LOAD_FAILED:
                self._load_error = message
                if self._job is not None:
                    job = self._job.job
                    self._end_job(Error(job, message.code, message.message, message.detail))
            else:
                log.warning("worker %s: %s: %s", self._pid, message.code.value, message.message)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._on_stdout()
        self._on_stderr()
        exit_code = -code if status == QProcess.ExitStatus.CrashExit else code
        self._exit_code = exit_code
        for timer in (self._cancel_timer, self._term_timer, self._kill_timer):
            timer.stop()
        if self._pid is not None and self._own_group:
            procs.signal_group(self._pid, signal.SIGKILL)  # orphans the worker left behind
        if self._job is not None:
            self._end_job(self._death_error(exit_code, self._job.job))
        self.exited.emit(exit_code)

    def _death_error(self, exit_code: int, job: str) -> Error:
        if self._abort is not None:
            return Error(job, ErrorCode.CANCELLED, f"cancelled (worker {self._abort})")
        if self._load_error is not None:
            return Error(job, self._load_error.code, self._load_error.message)
        tail = self.stderr_tail()
        last = last_message(tail)
        how = describe_exit(exit_code)
        if self._hello is None:
            text = f"worker exited before its models were ready ({how})"
            code = ErrorCode.WORKER_START_FAILED
        else:
            text = f"worker died while running this job ({how})"
            code = ErrorCode.WORKER_CRASHED
        return Error(job, code, f"{text}: {last}" if last else text, tail)
