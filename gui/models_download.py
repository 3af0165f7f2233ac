"""One model download as a child process (`engine.models.download`), seen through Qt signals.

`finished` fires exactly once, whatever happens: after `done`, after `error`, when the process
dies or never starts, and after `cancel()` (which sets an explicit flag before killing, so a
cancel is never guessed from the exit status).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

from engine.models.download_protocol import (
    Done,
    DownloadError,
    DownloadEvent,
    DownloadProgress,
    EventReader,
    Plan,
)
from engine.models.launch import download_command, download_environment

CANCELLED = "cancelled"
CRASHED = "crashed"
_STDERR_TAIL = 4000


class DownloadJob(QObject):
    """Downloads one preset into `cache`; emits plan, progress and one `finished`."""

    planned = Signal(object)  # Plan
    progressed = Signal(object)  # DownloadProgress
    finished = Signal(
        bool, str, str
    )  # ok, error code ("" / "cancelled" / DownloadErrorCode), message

    def __init__(self, preset: str, cache: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preset = preset
        self.cache = cache
        self.last_progress: DownloadProgress | None = None
        self._reader = EventReader()
        self._result: tuple[bool, str, str] | None = None
        self._aborted = False
        self._ended = False
        self._stderr = b""
        self._process = QProcess(self)
        self._process.readyReadStandardOutput.connect(self._read_stdout)
        self._process.readyReadStandardError.connect(self._read_stderr)
        self._process.finished.connect(self._process_finished)
        self._process.errorOccurred.connect(self._process_error)

    def start(self) -> None:
        """Start the download process."""
        program, args = download_command(self.preset, self.cache)
        env = QProcessEnvironment()
        for name, value in download_environment().items():
            env.insert(name, value)
        self._process.setProcessEnvironment(env)
        self._process.start(program, args)

    def cancel(self) -> None:
        """Stop the download; what arrived stays as a partial download the next run resumes."""
        if self._ended:
            return
        self._aborted = True
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
        else:
            self._end(False, CANCELLED, "cancelled")

    def is_running(self) -> bool:
        """True until `finished` has been emitted."""
        return not self._ended

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the process has exited (for shutdown and tests)."""
        if self._process.state() == QProcess.ProcessState.NotRunning:
            return True
        return self._process.waitForFinished(msecs)

    def _read_stdout(self) -> None:
        data = bytes(self._process.readAllStandardOutput().data())
        for event in self._reader.feed(data):
            self._handle(event)

    def _read_stderr(self) -> None:
        data = bytes(self._process.readAllStandardError().data())
        self._stderr = (self._stderr + data)[-_STDERR_TAIL:]

    def _handle(self, event: DownloadEvent) -> None:
        if isinstance(event, Plan):
            self.planned.emit(event)
        elif isinstance(event, DownloadProgress):
            self.last_progress = event
            self.progressed.emit(event)
        elif isinstance(event, Done):
            self._result = (True, "", "")
        elif isinstance(event, DownloadError):
            self._result = (False, event.code.value, event.message)

    def _process_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        if self._aborted:
            self._end(False, CANCELLED, "cancelled")
        elif self._result is not None:
            self._end(*self._result)
        else:
            tail = self._stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            reason = f"the download process stopped (exit status {exit_code})"
            self._end(False, CRASHED, "; ".join([reason, *tail]))

    def _process_error(self, error: QProcess.ProcessError) -> None:
        # When the process never started, `finished` never comes: end the job here.
        if error == QProcess.ProcessError.FailedToStart:
            self._end(
                False, CRASHED, f"could not start the download: {self._process.errorString()}"
            )

    def _end(self, ok: bool, code: str, message: str) -> None:
        if self._ended:
            return
        self._ended = True
        self.finished.emit(ok, code, message)
