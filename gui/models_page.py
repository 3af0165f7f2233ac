"""The Models page of the settings: each preset's state, size, and Download / Cancel / Remove.

Downloads run in their own process (`gui.models_download.DownloadJob`); this widget only
draws what that process reports, and never imports the hub client, torch or funasr. One
download runs at a time, since presets share models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.models.cache import (
    PresetState,
    bytes_on_disk,
    default_cache_dir,
    preset_state,
    remove_preset,
)
from engine.models.download_protocol import DownloadProgress, Plan
from engine.models.presets import PRESETS, Features, Preset
from engine.models.units import format_bytes, format_duration
from gui.models_download import CANCELLED, DownloadJob

_COLUMNS = ("Preset", "Can do", "State", "Size", "")


@dataclass
class _Row:
    """The widgets of one preset's row."""

    preset: Preset
    state: QLabel
    bar: QProgressBar
    size: QTableWidgetItem
    button: QPushButton
    error: str = ""


class ModelsPage(QWidget):
    """Lists the downloadable presets; downloads, cancels and removes them."""

    modelsChanged = Signal()  # a preset became present, or was removed
    downloadFinished = Signal(str, bool, str)  # preset key, ok, message

    def __init__(self, cache: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cache = cache or default_cache_dir()
        self.job: DownloadJob | None = None
        # Asked before deleting; tests replace it.
        self.confirm: Callable[[str], bool] = self._ask
        self._rows: dict[str, _Row] = {}
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) if c else "" for c in _COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for preset in PRESETS.values():
            if preset.downloadable:
                self._add_row(preset)
        where = QLabel(self.tr("Models are stored in %1").replace("%1", str(self.cache)))
        where.setWordWrap(True)
        self.notice = QLabel()  # the last download error, in full
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.notice)
        layout.addWidget(where)
        self.refresh()

    # ---- what tests and the settings dialog read ------------------------------------------

    def state_text(self, key: str) -> str:
        """The state shown for preset `key` ("Present", "Missing", "Downloading 45%", ...)."""
        row = self._rows[key]
        return row.bar.format() if self._downloading(key) else row.state.text()

    def progress_bar(self, key: str) -> QProgressBar:
        """The download progress bar of preset `key` (shown only while it downloads)."""
        return self._rows[key].bar

    def action_button(self, key: str) -> QPushButton:
        """The Download / Cancel / Remove button of preset `key`."""
        return self._rows[key].button

    # ---- actions ------------------------------------------------------------------------

    def download(self, key: str) -> DownloadJob | None:
        """Start downloading preset `key` (None when another download is running)."""
        if self.job is not None:
            return None
        row = self._rows[key]
        row.error = ""
        self.notice.setVisible(False)
        job = DownloadJob(key, self.cache, self)
        job.planned.connect(lambda plan, k=key: self._planned(k, plan))
        job.progressed.connect(lambda progress, k=key: self._progressed(k, progress))
        job.finished.connect(lambda ok, code, message, k=key: self._finished(k, ok, code, message))
        self.job = job
        row.bar.setRange(0, 0)  # busy until the plan gives the size
        row.bar.setFormat(self.tr("Starting…"))
        self.refresh()
        job.start()
        return job

    def cancel(self) -> None:
        """Stop the running download (what arrived is kept and resumed next time)."""
        if self.job is not None:
            self.job.cancel()

    def remove(self, key: str) -> bool:
        """Delete preset `key` from disk after asking; models shared with another stay."""
        preset = self._rows[key].preset
        question = self.tr("Delete the %1 models from this computer?").replace("%1", preset.title)
        if self._downloading(key) or not self.confirm(question):
            return False
        remove_preset(preset, self.cache)
        self.refresh()
        self.modelsChanged.emit()
        return True

    def shutdown(self) -> None:
        """Cancel a running download and wait for its process (the page is going away)."""
        if self.job is not None:
            job = self.job
            job.cancel()
            job.wait()

    # ---- drawing ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Redraw from disk each time the page is shown (the CLI may have changed the cache)."""
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Redraw every row from the cache on disk and the running download."""
        for key, row in self._rows.items():
            downloading = self._downloading(key)
            state = preset_state(row.preset, self.cache)
            row.bar.setVisible(downloading)
            row.state.setVisible(not downloading)
            row.state.setText(self._state_label(state, row.error))
            row.state.setToolTip(row.error)
            if not downloading:
                size = bytes_on_disk(row.preset, self.cache)
                if state is PresetState.PRESENT:
                    row.size.setText(format_bytes(size))
                else:
                    row.size.setText("~" + format_bytes(row.preset.approx_bytes))
            button = row.button
            button.setEnabled(downloading or self.job is None)
            if downloading:
                button.setText(self.tr("Cancel"))
            elif state is PresetState.PRESENT:
                button.setText(self.tr("Remove"))
            elif state is PresetState.PARTIAL:
                button.setText(self.tr("Resume"))
            else:
                button.setText(self.tr("Download"))

    def _add_row(self, preset: Preset) -> None:
        index = self.table.rowCount()
        self.table.insertRow(index)
        self.table.setItem(index, 0, QTableWidgetItem(preset.title))
        self.table.setItem(index, 1, QTableWidgetItem(self._feature_text(preset.features)))
        state = QLabel()
        bar = QProgressBar()
        bar.setTextVisible(True)
        cell = QWidget()
        cell_layout = QHBoxLayout(cell)
        cell_layout.setContentsMargins(4, 0, 4, 0)
        cell_layout.addWidget(state)
        cell_layout.addWidget(bar)
        self.table.setCellWidget(index, 2, cell)
        size = QTableWidgetItem()
        self.table.setItem(index, 3, size)
        button = QPushButton()
        button.clicked.connect(lambda _checked=False, k=preset.key: self._clicked(k))
        self.table.setCellWidget(index, 4, button)
        self._rows[preset.key] = _Row(preset, state, bar, size, button)

    def _clicked(self, key: str) -> None:
        if self._downloading(key):
            self.cancel()
        elif preset_state(self._rows[key].preset, self.cache) is PresetState.PRESENT:
            self.remove(key)
        else:
            self.download(key)

    def _planned(self, key: str, plan: Plan) -> None:
        self._show_bytes(key, plan.bytes_done, plan.bytes_total, "")

    def _progressed(self, key: str, progress: DownloadProgress) -> None:
        eta = format_duration(progress.eta)
        speed = f"{format_bytes(int(progress.speed))}/s, {eta}" if progress.speed > 0 else ""
        self._show_bytes(key, progress.bytes_done, progress.bytes_total, speed)

    def _show_bytes(self, key: str, done: int, total: int, detail: str) -> None:
        row = self._rows[key]
        # QProgressBar holds an int: count in KiB so multi-gigabyte totals fit.
        row.bar.setRange(0, max(total // 1024, 1))
        row.bar.setValue(min(done // 1024, max(total // 1024, 1)))
        percent = int(100 * done / total) if total else 0
        text = self.tr("Downloading %1%").replace("%1", str(percent))
        row.bar.setFormat(f"{text} ({detail})" if detail else text)
        row.size.setText(f"{format_bytes(done)} / {format_bytes(total)}")

    def _finished(self, key: str, ok: bool, code: str, message: str) -> None:
        self.job = None
        row = self._rows[key]
        row.error = "" if ok or code == CANCELLED else message
        if row.error:
            self.notice.setText(f"{row.preset.title}: {message}")
            self.notice.setVisible(True)
        self.refresh()
        if ok:
            self.modelsChanged.emit()
        self.downloadFinished.emit(key, ok, message)

    def _downloading(self, key: str) -> bool:
        return self.job is not None and self.job.preset == key

    def _state_label(self, state: PresetState, error: str) -> str:
        if error:
            return self.tr("Download failed")
        return {
            PresetState.PRESENT: self.tr("Present"),
            PresetState.PARTIAL: self.tr("Partly downloaded"),
            PresetState.MISSING: self.tr("Missing"),
        }[state]

    def _feature_text(self, features: Features) -> str:
        names = {
            "timestamps": self.tr("timestamps"),
            "hotwords": self.tr("hotwords"),
            "speakers": self.tr("speakers"),
        }
        return ", ".join(text for name, text in names.items() if getattr(features, name))

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Remove models"), question)
        return answer == QMessageBox.StandardButton.Yes
