"""Edits of the sentences picked in the transcript table: move to a speaker, split, join."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QTableView

from gui.highlight_delegate import HighlightDelegate
from gui.session import Session
from gui.transcript_model import Column, TranscriptModel, speaker_label


class SentenceActions(QObject):
    """The table's context menu and keys for sentence edits; every edit is undoable."""

    def __init__(
        self,
        session: Session,
        model: TranscriptModel,
        table: QTableView,
        delegate: HighlightDelegate,
    ) -> None:
        super().__init__(table)
        self._session, self._model, self._table, self._delegate = session, model, table, delegate
        self.split = self._action(self.tr("Split at cursor"), "Ctrl+Return", self.split_at_cursor)
        self.join = self._action(self.tr("Join with next"), "Ctrl+J", self.join_selected)
        self.new_speaker = self._action(
            self.tr("Move to new speaker"), "", lambda: self.move_selected(None)
        )
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self.show_menu)

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self._table)
        if keys:
            action.setShortcut(QKeySequence(keys))
            # The editor is a child of the table: the keys work while typing in it too.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._table.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def selected_rows(self) -> list[int]:
        """Rows picked in the table, top to bottom (the current row if none is selected)."""
        rows = sorted({index.row() for index in self._table.selectionModel().selectedRows()})
        current = self._table.currentIndex()
        return rows or ([current.row()] if current.isValid() else [])

    def move_selected(self, speaker: int | None) -> None:
        """Give the selected sentences to `speaker` (None: a new speaker)."""
        rows, job_id = self.selected_rows(), self._model.job_id
        if rows and job_id:
            self._session.move_sentences(job_id, rows, speaker)

    def join_selected(self) -> None:
        """Join the current sentence with the next one."""
        rows, job_id = self.selected_rows(), self._model.job_id
        editor = self._delegate.editor
        if editor is not None:
            # Typed text goes in first; an editor left open would write the old text back.
            rows = [self._delegate.editor_row]
            self._delegate.commitData.emit(editor)
            self._delegate.closeEditor.emit(editor, self._delegate.EndEditHint.NoHint)
        if rows and job_id and rows[0] < self._model.rowCount() - 1:
            self._session.join_with_next(job_id, rows[0])

    def split_at_cursor(self) -> None:
        """Split the sentence being edited at the text cursor (opens the editor if needed)."""
        editor, row, job_id = self._delegate.editor, self._delegate.editor_row, self._model.job_id
        if editor is None or job_id is None:
            index = self._model.index(max(self.selected_rows()[:1] or [0]), Column.TEXT)
            self._table.setCurrentIndex(index)
            self._table.edit(index)  # the user puts the cursor where it splits, then again
            return
        text, at = editor.text(), editor.cursorPosition()
        if not text[:at].strip() or not text[at:].strip():
            return
        # Closing the editor without committing: the split carries the edited text.
        self._delegate.closeEditor.emit(editor, self._delegate.EndEditHint.RevertModelCache)
        self._session.split_sentence(job_id, row, at, text)
        self._table.setCurrentIndex(self._model.index(row + 1, Column.TEXT))

    def show_menu(self, pos: QPoint) -> None:
        """The sentence menu at `pos` (viewport coordinates) of the table."""
        transcript = self._model.transcript
        if transcript is None or not self._table.indexAt(pos).isValid():
            return
        menu = QMenu(self._table)
        move = menu.addMenu(self.tr("Move to speaker"))
        for speaker in sorted(transcript.speakers, key=lambda s: s.index):
            move.addAction(
                speaker_label(transcript, speaker.index), partial(self.move_selected, speaker.index)
            )
        move.addSeparator()
        move.addAction(self.new_speaker)
        menu.addAction(self.split)
        menu.addAction(self.join)
        menu.popup(self._table.viewport().mapToGlobal(pos))
