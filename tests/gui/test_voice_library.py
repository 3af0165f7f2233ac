"""The voice library page and name suggestions, on controlled embeddings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QLabel, QPushButton

from engine.speakers.embeddings import sidecar_path
from engine.speakers.library import VoiceLibrary
from engine.transcript import Transcript
from gui.voice_library_page import VoiceLibraryPage, resave_speaker_voice, save_speaker_voice
from gui.voice_suggestions import SuggestionBanner
from tests.engine.speakers.samples import voice as _voice
from tests.engine.speakers.samples import voice_file


def saved_file(path: Path, voices: list[np.ndarray]) -> tuple[Transcript, Path]:
    """A controlled-voice transcript saved as JSON with its sidecar."""
    transcript, embeddings = voice_file(voices)
    transcript.save(path)
    embeddings.save(sidecar_path(path))
    return transcript, path


def test_the_page_lists_renames_and_deletes_voices(qtbot, tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    transcript, path = saved_file(tmp_path / "one.json", [_voice(1, 1), _voice(2, 2)])
    ada = save_speaker_voice(library, transcript, path, 0, "Ada")
    save_speaker_voice(library, transcript, path, 1, "Babbage")
    page = VoiceLibraryPage(library)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 2
    assert page.table.item(0, 0).text() == "Ada" and page.table.item(0, 1).text() == "12"

    with qtbot.waitSignal(page.changed):
        page.rename(ada.id, "Ada Lovelace")
    assert page.table.item(0, 0).text() == "Ada Lovelace"
    page.table.selectRow(0)
    assert page.selected_id() == ada.id and page.delete_button.isEnabled()
    with qtbot.waitSignal(page.changed):
        page.delete(ada.id)
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == ["Babbage"]


def test_resaving_merges_windows_and_a_damaged_library_is_shown(qtbot, tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    transcript, path = saved_file(tmp_path / "one.json", [_voice(1, 1)])
    ada = save_speaker_voice(library, transcript, path, 0, "Ada")
    second, second_path = saved_file(tmp_path / "two.json", [_voice(1, 7, n=20)])
    assert resave_speaker_voice(library, second, second_path, 0, ada.id).windows == 32

    library.path.write_text("{", encoding="utf-8")
    page = VoiceLibraryPage(library)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0 and "unreadable" in page.error.text()


def test_the_same_voice_is_suggested_and_accepting_emits_the_name(qtbot, tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_path = saved_file(tmp_path / "one.json", [_voice(1, 1), _voice(2, 2)])
    save_speaker_voice(library, first, first_path, 0, "Ada")
    # A second file: voice 3 (never saved) first, then voice 1 with new noise.
    second, second_path = saved_file(tmp_path / "two.json", [_voice(3, 3), _voice(1, 9)])

    banner = SuggestionBanner()
    qtbot.addWidget(banner)
    banner.show_for(second, second_path, library)
    assert len(banner.rows) == 1 and not banner.isHidden()
    assert "Speaker 2 sounds like Ada" in banner.rows[0].findChild(QLabel).text()
    use = next(b for b in banner.rows[0].findChildren(QPushButton) if b.text() == "Use name")
    with qtbot.waitSignal(banner.accepted) as signal:
        use.click()
    assert signal.args == [1, "Ada"]
    assert banner.isHidden()


def test_a_different_voice_gets_no_suggestion_and_dismissed_ones_stay_away(
    qtbot, tmp_path: Path
) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_path = saved_file(tmp_path / "one.json", [_voice(1, 1)])
    save_speaker_voice(library, first, first_path, 0, "Ada")
    banner = SuggestionBanner()
    qtbot.addWidget(banner)

    other, other_path = saved_file(tmp_path / "two.json", [_voice(4, 4)])
    banner.show_for(other, other_path, library)
    assert banner.rows == [] and banner.isHidden()

    same, same_path = saved_file(tmp_path / "three.json", [_voice(1, 5)])
    banner.show_for(same, same_path, library)
    dismiss = next(b for b in banner.rows[0].findChildren(QPushButton) if b.text() == "Dismiss")
    dismiss.click()
    banner.show_for(same, same_path, library)
    assert banner.rows == [] and banner.isHidden()
