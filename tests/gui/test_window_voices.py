"""The voice library in the window: its dialog from the toolbar, saving a speaker's voice,
and name suggestions over the shown transcript that the user accepts (undoably) or dismisses.

The transcripts are restored from a saved session with controlled embeddings beside them
(tests/engine/speakers/samples.py): voice 1 in one file is voice 1 in another.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from engine.pool.jobs import Job, JobState
from gui.session_store import SessionStore
from gui.settings import Key, Settings
from tests.engine.speakers.samples import voice, voice_file


@pytest.fixture
def voices_session(data_folder: Path, speech_wav: Path):
    """Save finished jobs whose speakers are the given controlled voices; returns their ids."""

    def save(files: dict[str, list[np.ndarray]]) -> list[str]:
        store = SessionStore(data_folder)
        jobs = []
        for job_id, voices in files.items():
            transcript, embeddings = voice_file(voices)
            store.save_speaker_embeddings(job_id, embeddings)
            store.save_transcript(job_id, transcript)
            jobs.append(Job(id=job_id, path=str(speech_wav), state=JobState.DONE, percent=100.0))
        store.save_jobs(jobs)
        return list(files)

    return save


def _buttons(row, text: str) -> QPushButton:
    return next(b for b in row.findChildren(QPushButton) if b.text() == text)


def test_the_toolbar_opens_the_voice_library_and_a_speaker_is_saved_into_it(
    make_window, voices_session, qtbot
):
    (first,) = voices_session({"first": [voice(1, 1), voice(2, 2)]})
    window = make_window()
    assert window.toolbar_actions.voices in window.toolbar_actions.toolbar.actions()
    window.queue.select_job(first)
    saved = window.voices.save_voice(0, "Ada")
    assert saved is not None and saved.windows == 12

    window.toolbar_actions.voices.trigger()
    dialog = window.voices.dialog
    assert dialog is not None and dialog.isVisible()
    page = dialog.page
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == ["Ada"]
    # Re-saving merges more windows into the saved voice.
    merged = window.voices.merge_voice(0, saved.id)
    assert merged is not None and merged.windows == 24
    assert page.table.item(0, 1).text() == "24"
    with qtbot.waitSignal(page.changed):
        page.rename(saved.id, "Ada Lovelace")
    assert window.voices.library.voice(saved.id).name == "Ada Lovelace"


def test_a_saved_voice_is_suggested_in_another_transcript_and_using_it_is_one_undo_step(
    make_window, voices_session
):
    first, second = voices_session(
        {"first": [voice(1, 1), voice(2, 2)], "second": [voice(3, 3), voice(1, 9)]}
    )
    window = make_window()
    window.queue.select_job(first)
    window.voices.save_voice(0, "Ada")
    banner = window.voices.banner
    # In its own transcript "Speaker 1" is not named Ada yet: the suggestion shows there too.
    assert len(banner.rows) == 1

    window.queue.select_job(second)
    assert not banner.isHidden() and len(banner.rows) == 1
    assert "Speaker 2 sounds like Ada" in banner.rows[0].findChild(QLabel).text()
    session = window.session
    assert session.transcript(second).speaker(1).name is None  # shown, not applied

    _buttons(banner.rows[0], "Use name").click()
    assert session.transcript(second).speaker(1).name == "Ada"
    assert banner.isHidden()
    stack = session.undo_stack(second)
    assert stack.undoText() == "Rename speaker"
    stack.undo()
    assert session.transcript(second).speaker(1).name is None
    assert len(banner.rows) == 1  # unnamed again: suggested again


def test_a_dismissed_suggestion_stays_away_for_that_file_only(make_window, voices_session):
    first, second, third = voices_session(
        {
            "first": [voice(1, 1)],
            "second": [voice(1, 5)],
            "third": [voice(1, 6)],
        }
    )
    window = make_window()
    window.queue.select_job(first)
    window.voices.save_voice(0, "Ada")
    banner = window.voices.banner
    window.queue.select_job(second)
    _buttons(banner.rows[0], "Dismiss").click()
    assert banner.isHidden()
    assert window.session.transcript(second).speaker(0).name is None

    window.queue.select_job(third)
    assert len(banner.rows) == 1  # another file: still suggested
    window.queue.select_job(second)
    assert banner.rows == [] and banner.isHidden()


def test_a_different_voice_gets_no_suggestion_and_the_threshold_comes_from_settings(
    make_window, voices_session, private_settings: Settings
):
    first, other = voices_session({"first": [voice(1, 1)], "other": [voice(4, 4)]})
    window = make_window()
    window.queue.select_job(first)
    window.voices.save_voice(0, "Ada")
    window.queue.select_job(other)
    assert window.voices.banner.rows == []

    # With no bar at all every voice is suggested; the setting is what decides.
    private_settings.set_value(Key.VOICE_THRESHOLD, -1.0)
    window.voices.refresh()
    assert len(window.voices.banner.rows) == 1
    assert window.voices.threshold() == -1.0


def test_the_settings_dialog_shows_and_stores_the_voice_match_threshold(
    qtbot, private_settings: Settings
):
    from engine.speakers.suggest import DEFAULT_THRESHOLD
    from gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(private_settings)
    qtbot.addWidget(dialog)
    assert dialog.voice_spin.value() == pytest.approx(DEFAULT_THRESHOLD)
    dialog.voice_spin.setValue(0.9)
    dialog.accept()
    assert private_settings.value(Key.VOICE_THRESHOLD) == pytest.approx(0.9)


def test_the_speaker_menu_asks_to_save_the_voice(make_window, voices_session, qtbot):
    (first,) = voices_session({"first": [voice(1, 1)]})
    window = make_window()
    window.queue.select_job(first)
    speakers = window.transcript.speakers
    speakers.saveVoiceRequested.disconnect()  # the window's slot asks in modal dialogs
    menu = speakers.buttons[0].menu()
    save = next(a for a in menu.actions() if a.text() == "Save voice to library…")
    with qtbot.waitSignal(speakers.saveVoiceRequested) as signal:
        save.trigger()
    assert signal.args == [0]
