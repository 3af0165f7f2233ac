"""One transcript as a table of sentences: time, speaker, text (the text is editable)."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from engine.transcript import Transcript
from gui.session import Session
from gui.speaker_palette import NO_SPEAKER, speaker_color, speaker_tint

ModelIndex = QModelIndex | QPersistentModelIndex
START_ROLE = Qt.ItemDataRole.UserRole + 1
SPEAKER_ROLE = Qt.ItemDataRole.UserRole + 2
COLOR_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(enum.IntEnum):
    """Transcript columns, left to right."""

    TIME = 0
    SPEAKER = 1
    TEXT = 2


def timestamp(ms: int) -> str:
    """`m:ss.s`, or `h:mm:ss.s` past an hour."""
    tenths = max(ms, 0) // 100
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    seconds, tenth = divmod(rest, 10)
    clock = f"{minutes}:{seconds:02}.{tenth}"
    return f"{hours}:{minutes:02}:{seconds:02}.{tenth}" if hours else clock


def speaker_label(transcript: Transcript, index: int | None) -> str:
    """A speaker's name, or "Speaker N" while it has none."""
    if index is None:
        return ""
    try:
        name = transcript.speaker(index).name
    except KeyError:
        name = None
    if name:
        return name
    return QCoreApplication.translate("TranscriptModel", "Speaker %1").replace("%1", str(index + 1))


class TranscriptModel(QAbstractTableModel):
    """The sentences of the job shown; edits go through the session, which saves them."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._job_id: str | None = None
        self._transcript: Transcript | None = None
        self._slots: dict[int, int] = {}
        self._playing = -1
        self._own_edit = False
        session.transcriptChanged.connect(self._transcript_changed)

    @property
    def job_id(self) -> str | None:
        """The job whose transcript is shown."""
        return self._job_id

    @property
    def transcript(self) -> Transcript | None:
        """The transcript shown, or None."""
        return self._transcript

    def show_job(self, job_id: str | None) -> None:
        """Show the transcript of `job_id` (None, or an unfinished job, shows nothing)."""
        self.beginResetModel()
        self._job_id = job_id
        self._reload()
        self.endResetModel()

    def _reload(self) -> None:
        self._transcript = self._session.transcript(self._job_id) if self._job_id else None
        self._playing = -1
        speakers = self._transcript.speakers if self._transcript else []
        self._slots = {s.index: s.color_slot for s in speakers}

    def _transcript_changed(self, job_id: str) -> None:
        if job_id != self._job_id or self._own_edit:
            return
        self.beginResetModel()
        self._reload()
        self.endResetModel()

    def set_playing(self, row: int) -> None:
        """Mark the sentence being played (-1: none)."""
        if row == self._playing:
            return
        old, self._playing = self._playing, row
        for changed in (old, row):
            if 0 <= changed < self.rowCount():
                self.dataChanged.emit(self.index(changed, 0), self.index(changed, 2))

    @property
    def playing_row(self) -> int:
        """The sentence being played, or -1."""
        return self._playing

    def row_at(self, ms: int) -> int:
        """The sentence playing at `ms`, or -1."""
        if self._transcript is None:
            return -1
        for row, sentence in enumerate(self._transcript.sentences):
            if sentence.start_ms <= ms < sentence.end_ms:
                return row
        return -1

    def color_slot(self, speaker: int | None) -> int | None:
        """The colour slot of a speaker index (stable across renames and merges)."""
        return None if speaker is None else self._slots.get(speaker, speaker)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._transcript is None:
            return 0
        return len(self._transcript.sentences)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            QCoreApplication.translate("TranscriptModel", "Time"),
            QCoreApplication.translate("TranscriptModel", "Speaker"),
            QCoreApplication.translate("TranscriptModel", "Text"),
        )[section]

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == Column.TEXT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._transcript is None:
            return None
        sentence = self._transcript.sentences[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == Column.TIME:
                return timestamp(sentence.start_ms)
            if column == Column.SPEAKER:
                return speaker_label(self._transcript, sentence.speaker)
            return sentence.text
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.TIME:
            return f"{timestamp(sentence.start_ms)} – {timestamp(sentence.end_ms)}"
        if role == START_ROLE:
            return sentence.start_ms
        if role == SPEAKER_ROLE:
            return sentence.speaker
        slot = self.color_slot(sentence.speaker)
        dark = QApplication.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5
        if role == COLOR_ROLE:
            return NO_SPEAKER if slot is None else speaker_color(slot, dark)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.SPEAKER:
            return NO_SPEAKER if slot is None else speaker_color(slot, dark)
        if role == Qt.ItemDataRole.BackgroundRole and slot is not None:
            if index.row() == self._playing:
                return QApplication.palette().color(QPalette.ColorRole.AlternateBase)
            return speaker_tint(slot, dark)
        if role == Qt.ItemDataRole.FontRole and (
            column == Column.SPEAKER or index.row() == self._playing
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            self._job_id is None
            or not index.isValid()
            or index.column() != Column.TEXT
            or role != Qt.ItemDataRole.EditRole
        ):
            return False
        text = str(value).strip()
        if not text or text == self.data(index):
            return False
        self._own_edit = True
        try:
            self._session.edit_sentence(self._job_id, index.row(), text)
        finally:
            self._own_edit = False
        self.dataChanged.emit(index, index)
        return True
