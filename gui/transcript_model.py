"""One transcript as a table of sentences: time, speaker, text (the text is editable)."""

from __future__ import annotations

import bisect
import enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from engine.transcript import Transcript
from gui.session import Session
from gui.speaker_palette import NO_SPEAKER, playing_color, speaker_color, speaker_tint

ModelIndex = QModelIndex | QPersistentModelIndex
START_ROLE = Qt.ItemDataRole.UserRole + 1
SPEAKER_ROLE = Qt.ItemDataRole.UserRole + 2
COLOR_ROLE = Qt.ItemDataRole.UserRole + 3


class Column(enum.IntEnum):
    """Transcript columns, left to right."""

    TIME = 0
    SPEAKER = 1
    TEXT = 2


# Plain ints for `data`, which compares them on every call.
_TIME, _SPEAKER = int(Column.TIME), int(Column.SPEAKER)
_TEXT_ROLES = (int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole))
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
# What QAbstractTableModel.flags gives, without a call into it per cell.
_FLAGS = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)
_EDITABLE = _FLAGS | Qt.ItemFlag.ItemIsEditable


class _Colors:
    """Speaker colours and tints by slot, made once per palette (data() asks per cell)."""

    def __init__(self) -> None:
        self._key = -1
        self._dark = False
        self._made: dict[tuple[str, int], QColor] = {}

    def _check(self) -> None:
        palette = QApplication.palette()
        if palette.cacheKey() != self._key:  # a theme switch
            self._key = palette.cacheKey()
            self._dark = palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5
            self._made.clear()

    def _get(self, kind: str, slot: int) -> QColor:
        self._check()
        color = self._made.get((kind, slot))
        if color is None:
            make = {"text": speaker_color, "tint": speaker_tint}.get(kind)
            color = make(slot, self._dark) if make else playing_color(self._dark)
            self._made[(kind, slot)] = color
        return color

    def text(self, slot: int) -> QColor:
        """A speaker's text colour."""
        return self._get("text", slot)

    def tint(self, slot: int) -> QColor:
        """A speaker's row background."""
        return self._get("tint", slot)

    def playing(self) -> QColor:
        """The playing sentence's background."""
        return self._get("playing", 0)


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

    speakersChanged = Signal()  # names, colours or the speaker list of the shown transcript

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._job_id: str | None = None
        self._transcript: Transcript | None = None
        self._slots: dict[int, int] = {}
        self._playing = -1
        self._colors = _Colors()
        self._bold = QFont()
        self._bold.setBold(True)
        session.transcriptChanged.connect(self._transcript_changed)
        session.sentencesAboutToChange.connect(self._sentences_about_to_change)
        session.sentencesChanged.connect(self._sentences_changed)
        session.speakersChanged.connect(self._speakers_changed)

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
        self._reload_slots()

    def _reload_slots(self) -> None:
        speakers = self._transcript.speakers if self._transcript else []
        self._slots = {s.index: s.color_slot for s in speakers}

    def _transcript_changed(self, job_id: str) -> None:
        if job_id != self._job_id:
            return
        self.beginResetModel()
        self._reload()
        self.endResetModel()

    # An edit replaces `removed` rows at `first` by `inserted` rows: the overlap changes in
    # place, the difference is inserted or removed after it (so rows keep their heights).
    def _sentences_about_to_change(
        self, job_id: str, first: int, removed: int, inserted: int
    ) -> None:
        if job_id != self._job_id:
            return
        common = min(removed, inserted)
        if inserted > removed:
            self.beginInsertRows(QModelIndex(), first + common, first + inserted - 1)
        elif removed > inserted:
            self.beginRemoveRows(QModelIndex(), first + common, first + removed - 1)

    def _sentences_changed(self, job_id: str, first: int, removed: int, inserted: int) -> None:
        if job_id != self._job_id:
            return
        if inserted > removed:
            self.endInsertRows()
        elif removed > inserted:
            self.endRemoveRows()
        if self._playing >= first + min(removed, inserted):
            self._playing = -1  # rows moved under the mark; playback sets it again
        common = min(removed, inserted)
        if common:
            self.dataChanged.emit(
                self.index(first, 0), self.index(first + common - 1, len(Column) - 1)
            )

    def _speakers_changed(self, job_id: str) -> None:
        if job_id != self._job_id or not self.rowCount():
            return
        self._reload_slots()
        last = self.rowCount() - 1
        roles = [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, COLOR_ROLE]
        self.dataChanged.emit(
            self.index(0, 0),
            self.index(last, Column.SPEAKER),
            [Qt.ItemDataRole.DisplayRole, *roles],
        )
        # The text column only changes colour, so no view re-measures its height.
        self.dataChanged.emit(self.index(0, Column.TEXT), self.index(last, Column.TEXT), roles)
        self.speakersChanged.emit()

    def set_playing(self, row: int) -> None:
        """Mark the sentence being played (-1: none)."""
        if row == self._playing:
            return
        old, self._playing = self._playing, row
        for changed in (old, row):
            if 0 <= changed < self.rowCount():
                # Background only: a view repaints the row and never re-measures it.
                last = self.index(changed, len(Column) - 1)
                self.dataChanged.emit(
                    self.index(changed, 0), last, [Qt.ItemDataRole.BackgroundRole]
                )

    @property
    def playing_row(self) -> int:
        """The sentence being played, or -1."""
        return self._playing

    def row_at(self, ms: int) -> int:
        """The sentence playing at `ms`, or -1 (sentences are in time order)."""
        if self._transcript is None:
            return -1
        sentences = self._transcript.sentences
        row = bisect.bisect_right(sentences, ms, key=lambda s: s.start_ms) - 1
        return row if row >= 0 and ms < sentences[row].end_ms else -1

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
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _EDITABLE if index.column() == Column.TEXT else _FLAGS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called hundreds of times per repaint: cheap checks first, colours only when asked.
        if self._transcript is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        sentence = self._transcript.sentences[row]
        if role in _TEXT_ROLES:
            if column == _TIME:
                return timestamp(sentence.start_ms)
            if column == _SPEAKER:
                return speaker_label(self._transcript, sentence.speaker)
            return sentence.text
        if role == _BACKGROUND:
            if row == self._playing:
                return self._colors.playing()
            slot = self.color_slot(sentence.speaker)
            return None if slot is None else self._colors.tint(slot)
        if role == COLOR_ROLE or (role == _FOREGROUND and column == _SPEAKER):
            slot = self.color_slot(sentence.speaker)
            return NO_SPEAKER if slot is None else self._colors.text(slot)
        if role == _FONT and column == _SPEAKER:
            return self._bold
        if role == _TOOLTIP and column == _TIME:
            return f"{timestamp(sentence.start_ms)} – {timestamp(sentence.end_ms)}"
        if role == START_ROLE:
            return sentence.start_ms
        if role == SPEAKER_ROLE:
            return sentence.speaker
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
        self._session.edit_sentence(self._job_id, index.row(), text)
        return True
