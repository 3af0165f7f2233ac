"""The voice library end to end in the window: two files transcribed by the real pool with the
voice CAM++, a speaker of the first saved, and its name suggested in the second."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from engine.testing import speech

pytestmark = pytest.mark.slow


@pytest.fixture
def voice_models(model_dir: Path, voice_spk_dir: Path, tmp_path: Path) -> Path:
    """The tiny model set with the voice CAM++ as its speaker model (links, nothing copied)."""
    folder = tmp_path / "voice-models"
    folder.mkdir()
    for role in ("asr", "vad", "punc"):
        (folder / role).symlink_to(model_dir / role, target_is_directory=True)
    (folder / "spk").symlink_to(voice_spk_dir, target_is_directory=True)
    return folder


def _talk(path: Path, voices: tuple[str, str], lines: tuple[str, ...]) -> Path:
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    turns = [speech.Turn(f"en-us+{voices[i % 2]}", line) for i, line in enumerate(lines)]
    return speech.make_conversation(path, turns)


def test_a_voice_saved_from_one_file_is_suggested_in_the_next(
    make_window, voice_models, tmp_path, qtbot
):
    first = _talk(tmp_path / "first.wav", ("m3", "f4"), speech.LINES[0:6])
    second = _talk(tmp_path / "second.wav", ("Annie", "m3"), speech.LINES[12:18])
    window = make_window(models=voice_models, workers=1, speakers=2)
    window.pool.start()
    ids = window.add_paths([first, second])
    with qtbot.waitSignal(window.pool.idle, timeout=300_000):
        pass
    session = window.session
    qtbot.waitUntil(lambda: all(session.transcript(i) is not None for i in ids), timeout=30_000)

    window.queue.select_job(ids[0])
    m3 = session.transcript(ids[0]).sentences[0].speaker
    assert window.voices.save_voice(m3, "Ada") is not None

    window.queue.select_job(ids[1])
    banner = window.voices.banner
    annie = session.transcript(ids[1]).sentences[0].speaker
    assert len(banner.rows) == 1  # m3 again; Annie is not suggested
    m3_here = session.transcript(ids[1]).speaker_name(1 - annie)
    assert banner.rows[0].findChild(QLabel).text().startswith(f"{m3_here} sounds like Ada")
