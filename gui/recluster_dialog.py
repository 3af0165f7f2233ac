"""Change a finished transcript's speaker count: a dialog and the helper process it uses.

Clustering needs torch and FunASR, which the GUI never imports, so `ReclusterHelper` keeps
one `funscribe recluster --serve` process (started on first use, kept warm) and talks JSON
lines with it; the GUI thread only reads the short answer, and a thread reads the
re-clustered JSON (80 ms of GUI stall for a 40-minute transcript otherwise). The helper
runs the same `recluster_file` as the command line, so both write the same files.

Wiring (the window owns one helper; the session applies the result as one undoable edit):

    dialog = ReclusterDialog(store.transcript_file(job_id), len(transcript.speakers), helper)
    dialog.reclustered.connect(lambda new: session.replace_transcript(job_id, new))
    dialog.open()
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from engine.pool.launcher import is_frozen, worker_environment
from engine.speakers.embeddings import sidecar_path
from engine.transcript import Transcript

MAX_SPEAKERS = 12
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def helper_command() -> tuple[str, list[str]]:
    """Program and arguments of the helper: the app itself when frozen, else `python -m`."""
    if is_frozen():
        return sys.executable, ["recluster", "--serve"]
    return sys.executable, ["-m", "engine.speakers.cli", "--serve"]


class ReclusterHelper(QObject):
    """One warm `recluster --serve` process; `request()` answers with `done` or `failed`."""

    done = Signal(str, object)  # request id, the re-clustered Transcript
    failed = Signal(str, str)  # request id, why (for the user)
    _loaded = Signal(str, object)  # from a loader thread: id, Transcript or error text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: QProcess | None = None
        self._ready = False
        self._waiting: list[dict[str, Any]] = []  # written once the helper is ready
        self._pending: set[str] = set()
        self._buffer = b""
        self._count = 0
        self._out = tempfile.TemporaryDirectory(prefix="funscribe-recluster-")
        self._loaders: list[threading.Thread] = []
        self._loaded.connect(self._on_loaded)  # queued: emitted from loader threads

    def request(self, transcript_path: Path, speakers: int | None) -> str:
        """Re-cluster the saved transcript to `speakers` (None: automatic); returns the id."""
        self._count += 1
        ident = f"r{self._count}"
        out = Path(self._out.name) / ident
        self._pending.add(ident)
        request = {"id": ident, "transcript": str(transcript_path), "speakers": speakers}
        self._waiting.append({**request, "out": str(out)})
        self._ensure_started()
        self._flush()
        return ident

    def warm_up(self) -> None:
        """Start the helper now (imports take seconds), so the first request is quick too."""
        self._ensure_started()

    def shutdown(self) -> None:
        """End the helper process (it exits at end of input) and drop the temp outputs."""
        process, self._process = self._process, None
        if process is not None:
            process.closeWriteChannel()
            if not process.waitForFinished(3000):
                process.kill()
                process.waitForFinished(1000)
        for loader in self._loaders:
            loader.join()
        self._out.cleanup()

    def _ensure_started(self) -> None:
        if self._process is not None:
            return
        process = QProcess(self)
        program, args = helper_command()
        process.setProgram(program)
        process.setArguments(args)
        env = QProcessEnvironment()
        for key, value in worker_environment().items():
            env.insert(key, value)
        for key in THREAD_VARS:
            # One thread: k-means over a few thousand windows gains nothing from more, and
            # spinning OpenMP threads would compete with the transcribing workers.
            env.insert(key, "1")
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read)
        process.errorOccurred.connect(self._on_error)
        process.finished.connect(self._on_finished)
        self._process, self._ready, self._buffer = process, False, b""
        process.start()

    def _flush(self) -> None:
        if self._process is None or not self._ready:
            return
        for request in self._waiting:
            self._process.write((json.dumps(request) + "\n").encode("utf-8"))
        self._waiting.clear()

    def _read(self) -> None:
        if self._process is None:
            return
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            try:
                answer = json.loads(line)
            except ValueError:
                continue  # not ours (a library printing to stdout)
            if answer.get("ready"):
                self._ready = True
                self._flush()
            else:
                self._answer(answer)

    def _answer(self, answer: dict[str, Any]) -> None:
        ident = str(answer.get("id"))
        if ident not in self._pending:
            return
        self._pending.discard(ident)
        if not answer.get("ok"):
            self.failed.emit(ident, str(answer.get("message", "")))
            return
        files = answer.get("files") or [""]
        loader = threading.Thread(target=self._load, args=(ident, str(files[0])), daemon=True)
        self._loaders = [t for t in self._loaders if t.is_alive()] + [loader]
        loader.start()

    def _load(self, ident: str, path: str) -> None:
        try:
            self._loaded.emit(ident, Transcript.load(path))
        except (OSError, ValueError) as exc:
            self._loaded.emit(ident, str(exc))

    def _on_loaded(self, ident: str, loaded: object) -> None:
        if isinstance(loaded, Transcript):
            self.done.emit(ident, loaded)
        else:
            self.failed.emit(ident, str(loaded))

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._fail_all(self.tr("the speaker helper could not start"))

    def _on_finished(self, *_: object) -> None:
        self._fail_all(self.tr("the speaker helper stopped"))

    def _fail_all(self, why: str) -> None:
        # No `finished` follows a failed start: end every request here, once.
        process, self._process = self._process, None
        if process is not None:
            process.deleteLater()
        self._waiting.clear()
        pending, self._pending = sorted(self._pending), set()
        for ident in pending:
            self.failed.emit(ident, why)


class ReclusterDialog(QDialog):
    """Pick a speaker count (automatic, 1…N) and re-cluster; emits `reclustered(Transcript)`."""

    reclustered = Signal(object)

    def __init__(
        self,
        transcript_path: Path,
        current_speakers: int,
        helper: ReclusterHelper,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change speakers"))
        self._path = Path(transcript_path)
        self._helper = helper
        self._request: str | None = None
        self.count_box = QComboBox()
        self.count_box.addItem(self.tr("Automatic"), None)
        for n in range(1, MAX_SPEAKERS + 1):
            self.count_box.addItem(str(n), n)
        self.count_box.setCurrentIndex(min(max(current_speakers, 0), MAX_SPEAKERS))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Re-cluster"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Speakers:"), self.count_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        helper.done.connect(self._on_done)
        helper.failed.connect(self._on_failed)
        self.can_recluster = sidecar_path(self._path).is_file()
        if not self.can_recluster:
            self.status.setText(
                self.tr(
                    "This transcript was made before FunScribe kept speaker embeddings (or"
                    " without speakers). Transcribe the file again to change its speakers."
                )
            )
            self.count_box.setEnabled(False)
            self.ok_button.setEnabled(False)

    def speakers(self) -> int | None:
        """The chosen count (None: automatic)."""
        value = self.count_box.currentData()
        return None if value is None else int(value)

    def start(self) -> None:
        """Send the request; the dialog stays open until the answer."""
        if not self.can_recluster or self._request is not None:
            return
        self.ok_button.setEnabled(False)
        self.count_box.setEnabled(False)
        self.status.setText(self.tr("Re-clustering…"))
        self._request = self._helper.request(self._path, self.speakers())

    def _on_done(self, ident: str, transcript: Transcript) -> None:
        if ident != self._request:
            return
        self._request = None
        self.reclustered.emit(transcript)
        self.accept()

    def _on_failed(self, ident: str, why: str) -> None:
        if ident != self._request:
            return
        self._request = None
        self.status.setText(why)
        self.count_box.setEnabled(True)
        self.ok_button.setEnabled(True)
