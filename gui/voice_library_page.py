"""The voice library in the GUI: a page to list, rename and delete saved voices, and the
actions that save a transcript's speaker into it (new, or merged into a saved voice).

Everything here is numpy-light (no torch): a voice is a mean of the speaker's kept window
embeddings (`engine.speakers`). The window shows the page in a dialog and saves speakers
from the speaker bar (gui/window_voices.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.speakers.embeddings import SidecarError, SpeakerEmbeddings, sidecar_path
from engine.speakers.library import LibraryError, Voice, VoiceLibrary
from engine.speakers.suggest import DEFAULT_THRESHOLD, speaker_vectors
from engine.transcript import Transcript

ID_ROLE = Qt.ItemDataRole.UserRole


def _speaker_vectors(
    transcript: Transcript, transcript_path: Path, speaker: int
) -> tuple[str, np.ndarray]:
    try:
        embeddings = SpeakerEmbeddings.load(sidecar_path(transcript_path))
    except SidecarError as exc:
        raise LibraryError(str(exc)) from exc
    vectors = speaker_vectors(transcript, embeddings, speaker)
    if len(vectors) == 0:
        raise LibraryError("this speaker has no speech windows to save")
    return embeddings.model, vectors


def save_speaker_voice(
    library: VoiceLibrary, transcript: Transcript, transcript_path: Path, speaker: int, name: str
) -> Voice:
    """Save speaker `speaker` of the transcript saved at `transcript_path` as a new voice."""
    model, vectors = _speaker_vectors(transcript, transcript_path, speaker)
    return library.save(name, model, vectors)


def resave_speaker_voice(
    library: VoiceLibrary,
    transcript: Transcript,
    transcript_path: Path,
    speaker: int,
    voice_id: str,
) -> Voice:
    """Merge speaker `speaker`'s windows into the saved voice `voice_id`."""
    model, vectors = _speaker_vectors(transcript, transcript_path, speaker)
    return library.resave(voice_id, model, vectors)


class VoiceLibraryPage(QWidget):
    """Saved voices (name, windows, model) with Rename and Delete; `changed` after an edit."""

    changed = Signal()

    def __init__(
        self,
        library: VoiceLibrary,
        parent: QWidget | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Windows"), self.tr("Speaker model")]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button.clicked.connect(self._ask_delete)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.set_threshold(threshold)
        self.error = QLabel()
        self.error.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        self.refresh()

    def set_threshold(self, threshold: float) -> None:
        """Say from which similarity a saved voice is suggested (the setting)."""
        self.note.setText(
            self.tr(
                "Speakers whose voice is close to a saved voice (similarity at least {0:.2f},"
                " see Settings) get its name suggested. Voices match only transcripts made"
                " with the same speaker model."
            ).format(threshold)
        )

    def refresh(self) -> None:
        """Read the library file again and show it."""
        try:
            voices = self.library.voices()
            self.error.clear()
        except LibraryError as exc:
            voices = []
            self.error.setText(str(exc))
        self.table.setRowCount(len(voices))
        for row, voice in enumerate(voices):
            name = QTableWidgetItem(voice.name)
            name.setData(ID_ROLE, voice.id)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(str(voice.windows)))
            self.table.setItem(row, 2, QTableWidgetItem(voice.model.removeprefix("sha256:")[:12]))
        self._update_buttons()

    def selected_id(self) -> str | None:
        """The id of the selected voice, if any."""
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return None if item is None else str(item.data(ID_ROLE))

    def rename(self, voice_id: str, name: str) -> None:
        """Rename a voice and show the result (errors go to the page's message line)."""
        self._edit(lambda: self.library.rename(voice_id, name))

    def delete(self, voice_id: str) -> None:
        """Delete a voice and show the result."""
        self._edit(lambda: self.library.delete(voice_id))

    def _edit(self, change: Callable[[], object]) -> None:
        try:
            change()
        except LibraryError as exc:
            self.refresh()
            self.error.setText(str(exc))
            return
        self.refresh()
        self.changed.emit()

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _ask_rename(self) -> None:
        voice_id = self.selected_id()
        if voice_id is None:
            return
        item = self.table.item(self.table.currentRow(), 0)
        current = item.text() if item is not None else ""
        name, ok = QInputDialog.getText(
            self, self.tr("Rename voice"), self.tr("Name:"), text=current
        )
        if ok and name.strip():
            self.rename(voice_id, name)

    def _ask_delete(self) -> None:
        voice_id = self.selected_id()
        if voice_id is None:
            return
        answer = QMessageBox.question(self, self.tr("Delete voice"), self.tr("Delete this voice?"))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(voice_id)
