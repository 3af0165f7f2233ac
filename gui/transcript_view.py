"""The transcript of the selected job: speakers, sentences, search, editing and playback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.highlight_delegate import HighlightDelegate
from gui.player_bar import PlayerBar
from gui.row_heights import RowHeights
from gui.sentence_actions import SentenceActions
from gui.session import Session
from gui.speaker_bar import SpeakerBar
from gui.transcript_model import START_ROLE, Column, TranscriptModel, speaker_label

_CELL_PAD = 16  # room around a cell's text (margins and focus frame)


class TranscriptView(QWidget):
    """Shows one finished job's transcript; names, speakers and text are fixed here."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = TranscriptModel(session, self)
        self._matches: list[int] = []

        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(260)
        self.match_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.match_label)
        top.addWidget(self.search)

        self.speakers = SpeakerBar(self.model, self)
        self.speakers.renameRequested.connect(self.rename_speaker)
        self.speakers.mergeRequested.connect(self.merge_speakers)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.delegate = HighlightDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.TEXT, self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Fixed widths set from the font and the speaker names: "resize to contents" would
        # measure every row again on each change.
        header.setSectionResizeMode(Column.TIME, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.SPEAKER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        self.heights = RowHeights(self.table, Column.TEXT)
        self.actions_ = SentenceActions(session, self.model, self.table, self.delegate)
        self.table.clicked.connect(self._clicked)
        self.table.activated.connect(self._activated)
        self.placeholder = QLabel(self.tr("Select a finished file to see its transcript."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.player_bar = PlayerBar(self)
        self.player_bar.positionChanged.connect(self._position)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.speakers)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.player_bar)

        self.model.modelReset.connect(self._after_reset)
        self.model.speakersChanged.connect(lambda: self._fit_columns(grow_only=True))
        self.search.textChanged.connect(self.set_query)
        self.search.returnPressed.connect(self.next_match)
        self._after_reset()

    def add_banner(self, banner: QWidget) -> None:
        """Show `banner` under the speaker bar (the voice library's name suggestions)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.speakers) + 1, banner)

    def show_job(self, job_id: str | None) -> None:
        """Show the transcript of `job_id` (or the placeholder)."""
        if job_id != self.model.job_id:
            self.stop()
        self.model.show_job(job_id)

    def _after_reset(self) -> None:
        transcript = self.model.transcript
        has = transcript is not None
        self.table.setVisible(has)
        self.placeholder.setVisible(not has)
        self.player_bar.setVisible(has)
        self.search.setEnabled(has)
        path = self._source_path()
        self.title.setText(Path(path).name if has else "")
        self._fit_columns()
        self.set_query(self.search.text())
        self.player_bar.set_source(
            Path(path) if has and path else None, transcript.duration_ms if transcript else 0
        )

    def _fit_columns(self, grow_only: bool = False) -> None:
        # After a rename the speaker column only widens: a narrower one would widen the text
        # column, and every row would be measured again for a cosmetic change.
        metrics = QFontMetrics(self.table.font())
        bold = self.table.font()
        bold.setBold(True)
        self.table.setColumnWidth(Column.TIME, metrics.horizontalAdvance("0:00:00.0") + _CELL_PAD)
        transcript = self.model.transcript
        names = (
            [speaker_label(transcript, s.index) for s in transcript.speakers] if transcript else []
        )
        widest = max((QFontMetrics(bold).horizontalAdvance(n) for n in names), default=0)
        width = min(max(widest + _CELL_PAD, 60), 240)
        if grow_only:
            width = max(width, self.table.columnWidth(Column.SPEAKER))
        self.table.setColumnWidth(Column.SPEAKER, width)

    def _source_path(self) -> str:
        job = self._session.job(self.model.job_id)
        return str(job.path) if job is not None else ""

    # ---- speakers and undo ------------------------------------------------------------

    def rename_speaker(self, index: int, name: str) -> None:
        """Rename a speaker of the shown transcript (undoable)."""
        if self.model.job_id:
            self._session.rename_speaker(self.model.job_id, index, name)

    def merge_speakers(self, keep: int, remove: int) -> None:
        """Merge speaker `remove` into `keep` in the shown transcript (undoable)."""
        if self.model.job_id:
            self._session.merge_speakers(self.model.job_id, keep, remove)

    # ---- search ---------------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """Highlight `text` in every sentence; the first match is scrolled into view."""
        query = text.strip()
        self.delegate.query = query
        transcript = self.model.transcript
        self._matches = []
        if query and transcript is not None:
            folded = query.casefold()
            self._matches = [
                row for row, s in enumerate(transcript.sentences) if folded in s.text.casefold()
            ]
        self.match_label.setText(self.tr("%n match(es)", "", len(self._matches)) if query else "")
        self.table.viewport().update()
        if self._matches:
            self._select(self._matches[0])

    @property
    def matches(self) -> list[int]:
        """Rows whose text contains the search query."""
        return list(self._matches)

    def next_match(self) -> None:
        """Move the selection to the next match, wrapping around."""
        if not self._matches:
            return
        current = self.table.currentIndex().row()
        later = [row for row in self._matches if row > current]
        self._select(later[0] if later else self._matches[0])

    def _select(self, row: int) -> None:
        index = self.model.index(row, Column.TEXT)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    # ---- playback -----------------------------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        transcript = self.model.transcript
        if transcript is None:
            return
        modifiers = QApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            return  # picking several sentences, not playing
        if index.column() == Column.SPEAKER:
            speaker = transcript.sentences[index.row()].speaker
            if speaker is not None:
                self.speakers.ask_rename(speaker)
            return
        self.play_from(index.row())

    def _activated(self, index: QModelIndex) -> None:
        # Enter plays; a double click edits instead (the editor is open by now).
        if self.table.state() != QAbstractItemView.State.EditingState:
            self.play_from(index.row())

    def play_from(self, row: int) -> bool:
        """Play the source from sentence `row`; False where playback is unavailable."""
        if not self.player_bar.play_from(int(self.model.index(row, 0).data(START_ROLE))):
            return False
        self.model.set_playing(row)
        return True

    def stop(self) -> None:
        """Stop playback and clear the playing mark."""
        self.player_bar.stop()
        self.model.set_playing(-1)

    def _position(self, ms: int) -> None:
        row = self.model.row_at(ms)
        if row >= 0 and row != self.model.playing_row:
            self.model.set_playing(row)
            if self.player_bar.follow.isChecked():
                self._follow(row)

    def _follow(self, row: int) -> None:
        # Out of view: centre it, so the next sentences are already on screen and playback
        # scrolls (and repaints the table) once a screenful, not at every sentence.
        index = self.model.index(row, 0)
        seen = self.table.viewport().rect()
        place = self.table.visualRect(index)
        if not (seen.contains(place.topLeft()) and seen.contains(place.bottomLeft())):
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
