"""One worker process behind a QProcess: protocol events in, typed Qt signals out.

Every QProcess signal is connected here and nowhere else. The worker's life is a
`WorkerState` (engine/pool/worker_state.py), changed only through `_set_state`; a worker
takes a job only in a state the table marks as accepting, so a worker that is stopping,
killed or failed is never handed one. A job's end is emitted exactly once, whether the worker
answers, fails to start, fails to load its models or dies mid-job. When we stop a worker
ourselves we record why (`_stop_cause`) before signalling it, so its end is never guessed
from an exit code: a user's cancel ends the job `cancelled`, our own stop ends it `stopped`.
"""

from __future__ import annotations

import enum
import logging
import os
import signal

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from engine.pool import procs, worker_errors
from engine.pool.procs import NOT_STARTED, describe_exit, last_message
from engine.pool.worker_state import WorkerState, check_transition
from engine.protocol import (
    JOB_ENDS,
    Cancel,
    Error,
    ErrorCode,
    Hello,
    JobCommand,
    LineReader,
    Message,
    Progress,
    ProtocolError,
    Segment,
    Shutdown,
    VersionMismatch,
    encode,
)

__all__ = ["NOT_STARTED", "WorkerHandle", "describe_exit", "last_message"]

log = logging.getLogger(__name__)

_STDERR_TAIL_BYTES = 8192
_W = WorkerState
# Failures that starting the same command again cannot mend.
_HOPELESS = frozenset(
    {ErrorCode.WORKER_START_FAILED, ErrorCode.MODEL_LOAD_FAILED, ErrorCode.PROTOCOL_MISMATCH}
)


class _StopCause(enum.Enum):
    CANCEL = "cancelled"  # the user's cancel was not answered in time
    STOP = "stopped"  # shutdown, reconfigure, recycle: the pool's own decision
    FAILED = "failed"  # it cannot become ready: load timeout, wrong protocol, load error


class WorkerHandle(QObject):
    """A worker process running one job at a time; start() it, then run() jobs on it."""

    ready = Signal(object)  # Hello
    progressed = Signal(str, object)  # job id, Progress
    segmented = Signal(str, object)  # job id, Segment
    jobEnded = Signal(str, object)  # job id, its end event (Result, Error, ...) — once per job
    stateChanged = Signal(object)  # WorkerState
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
        load_timeout_ms: int | None = None,
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
        self._state = _W.STARTING
        self._pid: int | None = None
        self._hello: Hello | None = None
        self._failure: Error | None = None  # why it can never become ready
        self._stop_cause: _StopCause | None = None
        self._job: JobCommand | None = None
        self._sent = False
        self._answered = 0  # jobs the worker itself ended with a result or an error
        self._exit_code: int | None = None
        self._load_timeout_ms = load_timeout_ms
        self._cancel_timer = self._timer(self._force_cancel)
        self._term_timer = self._timer(self.terminate)
        self._kill_timer = self._timer(self.kill)
        self._load_timer = self._timer(self._on_load_timeout)

    def _timer(self, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # ---- state ---------------------------------------------------------------------------

    @property
    def state(self) -> WorkerState:
        """Where the worker is in its life."""
        return self._state

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
        """Models loaded (hello received) and the process not stopping or gone."""
        return self._hello is not None and self._state in (_W.IDLE, _W.BUSY)

    @property
    def accepting(self) -> bool:
        """Can take a job now (the state table decides)."""
        return self._state.accepting

    @property
    def exited_code(self) -> int | None:
        """The exit code once the process is gone, else None."""
        return self._exit_code

    @property
    def hello(self) -> Hello | None:
        """The worker's hello, once its models are loaded."""
        return self._hello

    @property
    def jobs_answered(self) -> int:
        """Jobs the worker itself ended with a result or an error."""
        return self._answered

    @property
    def stop_requested(self) -> bool:
        """True once we told the worker to stop (or stopped it) for any reason."""
        return self._stop_cause is not None

    @property
    def failure(self) -> Error | None:
        """Why the worker never became ready (start, load, protocol, timeout), once known."""
        if self._failure is not None:
            return self._failure
        if self._hello is not None or self._exit_code is None or self._stop_cause:
            return None
        return self._death_error(self._exit_code, None)

    @property
    def hopeless(self) -> bool:
        """Starting the same command again cannot help (no program, bad models, protocol)."""
        return self._failure is not None and self._failure.code in _HOPELESS

    def death(self) -> Error | None:
        """How the exited worker ended if not at our request (None when we stopped it)."""
        if self._exit_code is None:
            return None
        if self._failure is not None:
            return self._failure
        if self._stop_cause is not None:
            return None
        return self._death_error(self._exit_code, None)

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
        if self._load_timeout_ms:
            self._load_timer.start(self._load_timeout_ms)
        self._process.start(self._program, self._args)

    def run(self, command: JobCommand) -> None:
        """Assign a job; it is sent as soon as the worker is ready."""
        if not self.accepting:
            raise RuntimeError(f"worker {self._pid} cannot take a job ({self._state.value})")
        self._job = command
        self._sent = False
        self._set_state(_W.BUSY)
        if self._hello is not None:
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
        """Ask the worker to exit (its job ends `stopped`), stopping it if it does not in time."""
        if self._state in (_W.STOPPING, _W.EXITED):
            return
        self._stop(_StopCause.STOP)
        if self._hello is None:
            self.terminate()  # still loading: it would read `shutdown` only after loading
            return
        self._write(Shutdown())
        self._process.closeWriteChannel()
        self._term_timer.start(self.shutdown_grace_ms)

    def terminate(self) -> None:
        """SIGTERM to the worker's process group; SIGKILL follows if it lingers."""
        self._stop(_StopCause.STOP)
        if self._running():
            self._signal(signal.SIGTERM)
            self._process.terminate()
            self._kill_timer.start(self.stop_grace_ms)

    def kill(self) -> None:
        """SIGKILL to the worker's process group at once."""
        self._stop(_StopCause.STOP)
        if self._running():
            self._signal(signal.SIGKILL)
            self._process.kill()

    def wait(self, msecs: int) -> bool:
        """Block until the process is gone (signals are delivered meanwhile); False on timeout."""
        if not self._running():
            return True
        return bool(self._process.waitForFinished(max(msecs, 0)))

    # ---- internals -------------------------------------------------------------------------

    def _set_state(self, state: WorkerState) -> None:
        """The one place the state changes; the table in worker_state.py says what is legal."""
        if state is self._state:
            return
        check_transition(self._state, state, f"worker {self._pid}")
        self._state = state
        self.stateChanged.emit(state)

    def _stop(self, cause: _StopCause) -> None:
        """Record why we stop the worker (the first reason stands) and stop giving it jobs."""
        self._stop_cause = self._stop_cause or cause
        self._load_timer.stop()
        if self._state is not _W.EXITED:
            self._set_state(_W.STOPPING)

    def _fail(self, error: Error, terminate: bool = True) -> None:
        """The worker can never become ready: stop it, then end its job with the reason."""
        self._failure = self._failure or error
        self._stop(_StopCause.FAILED)
        if self._job is not None:
            self._end_job(worker_errors.for_job(error, self._job.job))
        if self._exit_code is not None:
            return  # read from its last output: it is gone already
        if terminate:
            self.terminate()
        else:
            self._term_timer.start(self.shutdown_grace_ms)  # it exits by itself; in case not

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

    def _end_job(self, end: Message) -> None:
        job, self._job, self._sent = self._job, None, False
        self._cancel_timer.stop()
        if self._state is _W.BUSY:
            self._set_state(_W.IDLE if self._hello is not None else _W.LOADING)
        if job is not None:
            self.jobEnded.emit(job.job, end)

    def _force_cancel(self) -> None:
        if self._job is None:
            return
        log.info("worker %s did not answer cancel in time; stopping it", self._pid)
        self._stop(_StopCause.CANCEL)  # first: no job may be handed to it while its job ends
        self._end_job(Error(self._job.job, ErrorCode.CANCELLED, worker_errors.CANCELLED_BY_KILL))
        self.terminate()

    def _on_load_timeout(self) -> None:
        seconds = (self._load_timeout_ms or 0) / 1000
        self._fail(worker_errors.load_timeout(seconds, self.stderr_tail()))

    def _on_started(self) -> None:
        self._pid = int(self._process.processId()) or None
        if self._state is _W.STARTING:
            self._set_state(_W.LOADING)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart:
            if error != QProcess.ProcessError.Crashed:
                log.warning("worker %s: %s", self._pid, self._process.errorString())
            return
        # `finished` never comes for a process that did not start: end everything here.
        why = self._process.errorString()
        self._failure = self._failure or worker_errors.start_failed(self._program, why)
        self._exit(NOT_STARTED)

    def _on_stdout(self) -> None:
        data = self._process.readAllStandardOutput().data()
        for message in self._reader.feed(bytes(data)):
            self._on_message(message)

    def _on_stderr(self) -> None:
        self._stderr += bytes(self._process.readAllStandardError().data())
        del self._stderr[:-_STDERR_TAIL_BYTES]

    def _on_bad_line(self, line: bytes, error: ProtocolError) -> None:
        if isinstance(error, VersionMismatch) and self._hello is None and not self._failure:
            self._fail(worker_errors.protocol_mismatch(error.version))
            return
        log.warning("worker %s: ignored line (%s): %r", self._pid, error, line[:200])

    def _on_message(self, message: Message) -> None:
        current = self._job.job if self._job else None
        if isinstance(message, Hello):
            self._on_hello(message)
        elif isinstance(message, Progress | Segment):
            if message.job == current:
                signal_ = self.progressed if isinstance(message, Progress) else self.segmented
                signal_.emit(message.job, message)
        elif isinstance(message, JOB_ENDS) and getattr(message, "job", None) is not None:
            if getattr(message, "job", None) == current:
                self._answered += 1
                self._end_job(message)
        elif isinstance(message, Error):
            if message.code == ErrorCode.MODEL_LOAD_FAILED:
                self._fail(message, terminate=False)
            else:
                log.warning("worker %s: %s: %s", self._pid, message.code.value, message.message)

    def _on_hello(self, hello: Hello) -> None:
        if self._hello is not None or self._state in (_W.STOPPING, _W.EXITED):
            self._hello = self._hello or hello  # it did load: a later death is no start failure
            return
        self._hello = hello
        self._load_timer.stop()
        if self._state is _W.LOADING:
            self._set_state(_W.IDLE)
        self.ready.emit(hello)
        if self._job is not None and not self._sent:
            self._send_job()

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        exit_code = -code if status == QProcess.ExitStatus.CrashExit else code
        if self._pid is not None and self._own_group:
            procs.signal_group(self._pid, signal.SIGKILL)  # orphans the worker left behind
        self._exit(exit_code)

    def _exit(self, exit_code: int) -> None:
        """The one exit: EXITED first (no job can be handed to it), then the last words, the
        job's end, and `exited`."""
        self._exit_code = exit_code
        for timer in (self._cancel_timer, self._term_timer, self._kill_timer, self._load_timer):
            timer.stop()
        self._set_state(_W.EXITED)
        if exit_code != NOT_STARTED:
            self._on_stdout()
            self._on_stderr()
        if self._job is not None:
            self._end_job(self._death_error(exit_code, self._job.job))
        self.exited.emit(exit_code)

    def _death_error(self, exit_code: int, job: str | None) -> Error:
        if self._stop_cause is _StopCause.CANCEL:
            return Error(job, ErrorCode.CANCELLED, worker_errors.CANCELLED_BY_KILL)
        if self._failure is not None:
            return worker_errors.for_job(self._failure, job)
        if self._stop_cause is _StopCause.STOP:
            return Error(job, ErrorCode.STOPPED, worker_errors.STOPPED_BY_POOL)
        loaded = self._hello is not None
        return worker_errors.died(exit_code, job, loaded, self.stderr_tail())
