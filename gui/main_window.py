"""The main window: the queue on top, the selected transcript below, actions in a toolbar."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from engine.pool.jobs import IllegalTransition, JobState
from gui import media_files
from gui.engine_config import job_options, pool_config
from gui.export_dialog import ExportDialog
from gui.exporting import export_all, target_folder
from gui.queue_model import QueueModel
from gui.queue_view import QueueView
from gui.recluster_dialog import ReclusterDialog, ReclusterHelper
from gui.session import Session
from gui.settings import Key, Settings
from gui.settings_dialog import SettingsDialog
from gui.status_line import StatusLine
from gui.theme import apply_theme
from gui.transcript_view import TranscriptView
from gui.window_actions import WindowActions
from gui.window_voices import VoiceLibraryDialog, WindowVoices

NOTICE_MS = 8000


class MainWindow(QMainWindow):
    """FunScribe's window over one session (pool + saved transcripts)."""

    closed = Signal()

    def __init__(self, settings: Settings, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.session = session
        self.pool = session.pool
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.last_notice = ""
        self.setWindowTitle("FunScribe")
        self.setAcceptDrops(True)

        self.queue_model = QueueModel(self.pool, session.speakers_found, self)
        self.queue = QueueView(self.queue_model)
        self.transcript = TranscriptView(session)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(self.transcript)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)
        self.status_line = StatusLine(self.pool)
        self.statusBar().addPermanentWidget(self.status_line)

        self.undo_group = QUndoGroup(self)
        self.toolbar_actions = WindowActions(self, self, self.undo_group)
        self.addActions(self.transcript.player_bar.shortcut_actions())
        self.queue.selectionModel().selectionChanged.connect(self._selection_changed)
        self.queue.selectionModel().currentRowChanged.connect(self._selection_changed)
        for signal in (self.pool.jobChanged, self.pool.jobAdded, self.pool.jobRemoved):
            signal.connect(self._update_actions)
        for changed in (self.session.transcriptChanged, self.session.edited):
            changed.connect(self._update_actions)
            changed.connect(self.queue_model.refresh_job)
        self.session.transcriptChanged.connect(self._follow_undo_stack)
        self.recluster_helper = ReclusterHelper(self)  # a process, started on first use
        self.transcript.speakers.reclusterRequested.connect(self.change_speakers)
        self.voices = WindowVoices(session, self.transcript, settings, self)
        self._restore_geometry()
        self._update_actions()

    def _update_actions(self, *_: object) -> None:
        jobs = [self.session.job(job_id) for job_id in self.queue.selected_ids()]
        self.toolbar_actions.update(
            selected={job.state for job in jobs if job is not None},
            any_finished=any(job.state.finished for job in self.pool.jobs()),
            can_export=bool(self.session.finished_ids()),
            has_folder=self.output_folder() is not None,
        )

    def _selection_changed(self, *_: object) -> None:
        self.transcript.show_job(self.queue.current_id())
        self._follow_undo_stack()
        self._update_actions()

    def _follow_undo_stack(self, *_: object) -> None:
        # Undo/Redo act on the transcript on screen.
        job_id = self.transcript.model.job_id
        stack = self.session.undo_stack(job_id) if job_id else None
        if stack is not None and stack not in self.undo_group.stacks():
            self.undo_group.addStack(stack)
        self.undo_group.setActiveStack(stack)  # type: ignore[arg-type]  # None: no transcript

    def notice(self, text: str) -> None:
        """A short message in the status bar (kept in `last_notice` for tests)."""
        self.last_notice = text
        self.statusBar().showMessage(text, NOTICE_MS)

    # ---- adding files -------------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> list[str]:
        """Queue every media file among `paths` (folders expand); returns the new job ids."""
        found = media_files.collect(paths)
        waiting = {
            str(job.path)
            for job in self.pool.jobs()
            if job.state not in (JobState.FAILED, JobState.CANCELLED)
        }
        options = job_options(self.settings)
        added: list[str] = []
        duplicates = 0
        with self.pool.adding():
            for path in found.media:
                if str(path) in waiting:
                    duplicates += 1
                    continue
                added.append(self.pool.submit(str(path), options))
                waiting.add(str(path))
        parts: list[str] = []
        if found.skipped:
            names = ", ".join(p.name for p in found.skipped[:3])
            more = "…" if len(found.skipped) > 3 else ""
            parts.append(
                self.tr("Skipped %n file(s) that are not audio or video", "", len(found.skipped))
                + f": {names}{more}"
            )
        if duplicates:
            parts.append(self.tr("%n file(s) already in the queue", "", duplicates))
        if parts:
            self.notice("; ".join(parts))
        if added and not self.queue.selected_ids():
            self.queue.select_job(added[0])
        return added

    def choose_files(self) -> None:
        """Ask for media files and queue them."""
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add files"),
            self.settings.value(Key.LAST_ADD_DIR),
            media_files.dialog_filter(),
        )
        if files:
            self.settings.set_value(Key.LAST_ADD_DIR, str(Path(files[0]).parent))
            self.add_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        """Ask for a folder and queue its media files."""
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Add folder"), self.settings.value(Key.LAST_ADD_DIR)
        )
        if folder:
            self.settings.set_value(Key.LAST_ADD_DIR, folder)
            self.add_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [url for url in event.mimeData().urls() if url.isLocalFile()]
        if not urls:
            return
        event.acceptProposedAction()
        self.add_paths([Path(url.toLocalFile()) for url in urls])

    # ---- queue actions -----------------------------------------------------------------

    def _each_selected(self, act: Callable[[str], object]) -> None:
        for job_id in self.queue.selected_ids():
            try:
                act(job_id)
            except (IllegalTransition, KeyError, ValueError) as exc:
                self.notice(str(exc))
        self._update_actions()

    def cancel_selected(self) -> None:
        """Cancel the selected jobs (running ones stop at the next segment)."""
        self._each_selected(self.pool.cancel)

    def retry_selected(self) -> None:
        """Queue the selected failed or cancelled jobs again."""
        self._each_selected(self.pool.retry)

    def remove_selected(self) -> None:
        """Remove the selected jobs (and their transcripts) from the queue."""
        self._each_selected(self.pool.remove)

    def move_selected(self, delta: int) -> None:
        """Move the selected jobs up (-1) or down (+1), keeping them selected."""
        ids = self.queue.selected_ids()
        for job_id in ids if delta < 0 else reversed(ids):
            self.pool.move(job_id, delta)
        selection = self.queue.selectionModel()
        selection.clearSelection()
        for job_id in ids:
            row = self.queue_model.row_of(job_id)
            selection.select(
                self.queue_model.index(row, 0),
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )

    def clear_finished(self) -> None:
        """Remove every finished job (done, failed or cancelled)."""
        self.pool.clear_finished()

    # ---- export, folders, settings ------------------------------------------------------

    def export(self) -> list[Path]:
        """Ask for formats and folder, then write the chosen transcripts; returns the files."""
        current = self.queue.current_id()
        has_selection = current is not None and self.session.transcript(current) is not None
        dialog = ExportDialog(self.settings, has_selection, self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return []
        ids = [current] if dialog.selected_only() and current else self.session.finished_ids()
        return self.export_jobs(ids, dialog.formats(), dialog.folder())

    def export_jobs(self, ids: list[str], formats: list[str], folder: str) -> list[Path]:
        """Write the transcripts of `ids` in `formats` to `folder` ("" = beside each source)."""
        items = []
        for job_id in ids:
            job, transcript = self.session.job(job_id), self.session.transcript(job_id)
            if job is not None and transcript is not None:
                items.append((transcript, Path(job.path)))
        try:
            written = export_all(items, formats, folder)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return []
        self.notice(self.tr("Exported %n file(s)", "", len(written)))
        return written

    def output_folder(self) -> Path | None:
        """Where exports of the current job go."""
        job = self.session.job(self.queue.current_id())
        folder = self.settings.value(Key.OUTPUT_DIR)
        if job is None:
            return Path(folder) if folder else None
        return target_folder(Path(job.path), folder)

    def open_output_folder(self) -> None:
        """Show the output folder in the file manager."""
        folder = self.output_folder()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.open_url(QUrl.fromLocalFile(str(folder)))

    def edit_settings(self) -> None:
        """Open the settings dialog; job options apply to files added afterwards."""
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self.settings.value(Key.THEME))
            # Workers restart under new models, device or sizing; running files finish first.
            self.pool.reconfigure(pool_config(self.settings))
            self.voices.refresh()  # the voice match threshold may have changed

    def show_voice_library(self) -> VoiceLibraryDialog:
        """Open the voice library (list, rename, delete saved voices)."""
        return self.voices.show_library()

    # ---- lifetime -----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.settings.value(Key.WINDOW_GEOMETRY)
        if not geometry or not self.restoreGeometry(QByteArray.fromHex(geometry.encode())):
            self.resize(1100, 760)
            self.splitter.setSizes([280, 420])
        splitter = self.settings.value(Key.SPLITTER_STATE)
        if splitter:
            self.splitter.restoreState(QByteArray.fromHex(splitter.encode()))

    def change_speakers(self) -> ReclusterDialog | None:
        """Ask for another speaker count for the transcript on screen; re-cluster it."""
        job_id = self.transcript.model.job_id
        transcript = self.session.transcript(job_id) if job_id else None
        if job_id is None or transcript is None:
            return None
        self.session.flush()  # the helper reads the saved file: every edit must be in it
        dialog = ReclusterDialog(
            self.session.store.transcript_file(job_id),
            len(transcript.speakers),
            self.recluster_helper,
            self,
        )
        dialog.reclustered.connect(partial(self.session.replace_speakers, job_id))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        geometry = bytes(self.saveGeometry().toHex().data()).decode()
        self.settings.set_value(Key.WINDOW_GEOMETRY, geometry)
        self.settings.set_value(
            Key.SPLITTER_STATE, bytes(self.splitter.saveState().toHex().data()).decode()
        )
        self.settings.sync()
        self.transcript.stop()
        self.session.flush()  # edits still waiting for their save are written now
        self.recluster_helper.shutdown()
        self.closed.emit()
        super().closeEvent(event)
