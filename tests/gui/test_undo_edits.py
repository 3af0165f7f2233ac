"""Every transcript edit is undoable: done, undone and redone, the saved file follows exactly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from engine.transcript import Transcript
from gui.session import Session
from gui.transcript_model import Column
from tests.gui.samples import save_tokened_session


@pytest.fixture
def opened(make_window, data_folder: Path, speech_wav: Path):
    """A window showing one finished transcript with tokens; returns (window, job id)."""
    save_tokened_session(data_folder, speech_wav)
    window = make_window()
    window.queue.select_job("job")
    return window, "job"


def saved(session: Session, job_id: str) -> str:
    """The transcript file as it is on disk once every pending save has landed."""
    session.flush()
    return session.store.transcript_file(job_id).read_text(encoding="utf-8")


def shown_active(window, qtbot) -> None:
    """Show the window and make it active: window shortcuts only reach an active window."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


EDITS: dict[str, Callable[[Session, str], None]] = {
    "edit text": lambda s, j: s.edit_sentence(j, 2, "The numbers look much better."),
    "rename a speaker": lambda s, j: s.rename_speaker(j, 1, "Bo"),
    "merge two speakers": lambda s, j: s.merge_speakers(j, 0, 1),
    "move a sentence to another speaker": lambda s, j: s.move_sentences(j, [1], 0),
    "move sentences to a new speaker": lambda s, j: s.move_sentences(j, [0, 3], None),
    "split a sentence": lambda s, j: s.split_sentence(j, 0, len("Good morning, ")),
    "split an edited sentence": lambda s, j: s.split_sentence(
        j, 1, len("Thanks! "), "Thanks! Let us start with the budget."
    ),
    "join with the next": lambda s, j: s.join_with_next(j, 1),
}


@pytest.mark.parametrize("edit", EDITS)
def test_each_edit_is_done_undone_and_redone_exactly_in_the_saved_file(opened, edit):
    window, job_id = opened
    session = window.session
    before = saved(session, job_id)

    EDITS[edit](session, job_id)
    after = saved(session, job_id)
    assert after != before

    session.undo_stack(job_id).undo()
    assert saved(session, job_id) == before
    session.undo_stack(job_id).redo()
    assert saved(session, job_id) == after
    # The table shows what the file says.
    shown = Transcript.from_json(after)
    model = window.transcript.model
    assert model.rowCount() == len(shown.sentences)
    assert [model.index(r, Column.TEXT).data() for r in range(model.rowCount())] == [
        s.text for s in shown.sentences
    ]


def test_splitting_at_the_cursor_in_the_editor_times_the_cut_at_the_next_token(opened, qtbot):
    window, job_id = opened
    shown_active(window, qtbot)
    view = window.transcript
    index = view.model.index(0, Column.TEXT)
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = view.table.findChild(QLineEdit)
    editor.setCursorPosition(len("Good morning, "))

    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    first, second = window.session.transcript(job_id).sentences[:2]
    assert (first.text, second.text) == ("Good morning,", "thank you all for coming.")
    assert first.end_ms == second.start_ms == 1200  # where the token "thank" starts
    assert view.model.rowCount() == 5


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_a_merge_from_the_toolbar(opened, qtbot):
    window, job_id = opened
    shown_active(window, qtbot)
    view = window.transcript
    before = saved(window.session, job_id)
    merge_menu = view.speakers.buttons[1].menu().actions()[1].menu()
    merge_menu.actions()[0].trigger()  # Speaker 2 → Speaker 1
    assert list(view.speakers.buttons) == [0]
    assert window.toolbar_actions.undo.isEnabled()

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert sorted(view.speakers.buttons) == [0, 1]
    assert saved(window.session, job_id) == before
    qtbot.keyClick(
        view.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert list(view.speakers.buttons) == [0]
    assert window.toolbar_actions.undo.text().startswith("Undo")


def test_ctrl_j_while_typing_keeps_the_typed_text_and_joins(opened, qtbot):
    window, job_id = opened
    shown_active(window, qtbot)
    view = window.transcript
    index = view.model.index(1, Column.TEXT)
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = view.table.findChild(QLineEdit)
    editor.setText("Thanks! Let us start.")

    qtbot.keyClick(editor, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)

    texts = [s.text for s in window.session.transcript(job_id).sentences]
    assert texts[1] == "Thanks! Let us start. The numbers look better than last year."
    assert len(texts) == 3
    window.session.undo_stack(job_id).undo()  # the join
    window.session.undo_stack(job_id).undo()  # the typing
    assert window.session.transcript(job_id).sentences[1].text.startswith("Thanks. Let us")
