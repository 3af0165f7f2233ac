"""Long transcripts stay smooth: rows are measured once per text and width, never for a mark."""

from __future__ import annotations

import pytest

from gui import row_heights
from gui.transcript_model import Column
from tests.gui.samples import save_tokened_session


@pytest.fixture
def measured(make_window, data_folder, speech_wav, qtbot, monkeypatch):
    """The window over a 4-sentence transcript; returns (window, view, list of measured texts)."""
    save_tokened_session(data_folder, speech_wav)
    seen: list[str] = []
    real = row_heights.wrapped_height

    def spy(metrics, text, width):
        seen.append(text)
        return real(metrics, text, width)

    monkeypatch.setattr(row_heights, "wrapped_height", spy)
    window = make_window()
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    window.queue.select_job("job")
    view = window.transcript
    qtbot.waitUntil(lambda: view.heights.settled)
    return window, view, seen


def test_every_row_gets_the_height_of_its_wrapped_text(measured):
    _, view, _ = measured
    view.model.setData(view.model.index(1, Column.TEXT), "word " * 200)

    heights = [view.table.rowHeight(r) for r in range(4)]

    assert heights[1] > 3 * heights[0]
    assert heights[0] == heights[2]


def test_the_playing_mark_and_speaker_changes_measure_nothing(measured, monkeypatch):
    window, view, seen = measured
    seen.clear()
    window.session.merge_speakers("job", 0, 1)
    assert seen == []  # sentences changed speaker, not text: cached heights hold
    rows: list[tuple[int, int]] = []
    monkeypatch.setattr(view.heights, "measure", lambda first, last: rows.append((first, last)))

    for row in (0, 1, 2, 3, 1):
        view.model.set_playing(row)
    window.session.rename_speaker("job", 0, "Al")  # shorter: no column changes width

    assert rows == []  # not even a look at the cache


def test_an_edit_measures_only_the_edited_row(measured):
    window, _, seen = measured
    seen.clear()

    window.session.edit_sentence("job", 2, "Only this one changed.")

    assert seen == ["Only this one changed."]


def test_a_split_measures_only_the_two_new_rows_and_undo_measures_nothing_new(measured):
    window, view, seen = measured
    seen.clear()

    window.session.split_sentence("job", 0, len("Good morning, "))
    assert sorted(seen) == ["Good morning,", "thank you all for coming."]
    seen.clear()
    window.session.undo_stack("job").undo()  # the old text's height is still cached

    assert seen == []
    assert view.model.rowCount() == 4
