"""The transcript of the selected job: speakers, sentences, search and playback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.highlight_delegate import HighlightDelegate
from gui.player import Player, make_player
from gui.session import Session
from gui.speaker_bar import SpeakerBar
from gui.transcript_model import START_ROLE, Column, TranscriptModel


class TranscriptView(QWidget):
    """Shows one finished job's transcript and lets the user fix names and text."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.model = TranscriptModel(session, self)
        self.player: Player | None = None
        self._player_checked = False
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
        self.stop_button = QToolButton()
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.stop_button)
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
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.SPEAKER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._clicked)
        self.placeholder = QLabel(self.tr("Select a finished file to see its transcript."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.speakers)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.placeholder, 1)

        self._rows_timer = QTimer(self, singleShot=True, interval=0)
        self._rows_timer.timeout.connect(self.table.resizeRowsToContents)
        self.model.modelReset.connect(self._after_reset)
        self.model.dataChanged.connect(lambda *_: self._rows_timer.start())
        header.sectionResized.connect(lambda *_: self._rows_timer.start())
        self.search.textChanged.connect(self.set_query)
        self.search.returnPressed.connect(self.next_match)
        self.stop_button.clicked.connect(self.stop)
        self._after_reset()

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
        self.search.setEnabled(has)
        self.title.setText(Path(self._source_path()).name if has else "")
        self.set_query(self.search.text())
        self._rows_timer.start()

    def _source_path(self) -> str:
        job = self._session.job(self.model.job_id)
        return str(job.path) if job is not None else ""

    # ---- speakers and text ------------------------------------------------------------

    def rename_speaker(self, index: int, name: str) -> None:
        """Rename a speaker of the shown transcript (saved at once)."""
        if self.model.job_id:
            self._session.rename_speaker(self.model.job_id, index, name)

    def merge_speakers(self, keep: int, remove: int) -> None:
        """Merge speaker `remove` into `keep` in the shown transcript (saved at once)."""
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

    def _ensure_player(self) -> Player | None:
        if not self._player_checked:
            self._player_checked = True
            self.player = make_player(self)
            if self.player is not None:
                self.player.positionChanged.connect(self._position)
                self.player.playingChanged.connect(self._playing_changed)
        return self.player

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.SPEAKER:
            speaker = self.model.transcript.sentences[index.row()].speaker  # type: ignore[union-attr]
            if speaker is not None:
                self.speakers.ask_rename(speaker)
            return
        self.play_from(index.row())

    def play_from(self, row: int) -> bool:
        """Play the source from sentence `row`; False where playback is unavailable."""
        path = self._source_path()
        player = self._ensure_player()
        if player is None or not path or not Path(path).exists():
            return False
        player.play_from(Path(path), int(self.model.index(row, 0).data(START_ROLE)))
        self.model.set_playing(row)
        return True

    def stop(self) -> None:
        """Stop playback and clear the playing mark."""
        if self.player is not None:
            self.player.stop()
        self.model.set_playing(-1)

    def _position(self, ms: int) -> None:
        row = self.model.row_at(ms)
        if row >= 0 and row != self.model.playing_row:
            self.model.set_playing(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _playing_changed(self, playing: bool) -> None:
        self.stop_button.setVisible(playing)
        if not playing:
            self.model.set_playing(-1)
