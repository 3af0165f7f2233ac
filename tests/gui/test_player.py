"""Playback through the `Player` wrapper and the player bar, on real media files (offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.player import SPEEDS, make_player
from gui.transcript_model import Column

pytest.importorskip("PySide6.QtMultimedia", reason="QtMultimedia (PySide6-Addons) is missing")


@pytest.fixture
def player(qtbot):
    made = make_player()
    if made is None:
        pytest.skip("QtMultimedia has no media backend here")
    yield made
    made.stop()


def test_the_player_plays_pauses_seeks_and_changes_speed_on_a_wav(player, qtbot, speech_wav):
    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda on: on, timeout=10_000):
        player.play_from(speech_wav, 1000)
    qtbot.waitUntil(lambda: player.position > 1300, timeout=10_000)  # it moves on by itself
    assert player.duration == pytest.approx(6256, abs=50)

    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda on: not on):
        player.pause()
    player.seek(3000)
    assert player.position == 3000
    with qtbot.waitSignal(player.rateChanged):
        player.set_rate(1.5)
    assert player.rate == 1.5
    player.set_rate(5.0)
    assert player.rate == SPEEDS[-1]  # 2x at most
    player.skip(-5000)
    assert player.position == 0  # clamped at the start

    with qtbot.waitSignal(player.playingChanged, check_params_cb=lambda on: on):
        player.toggle()
    qtbot.waitUntil(lambda: player.position > 300, timeout=10_000)


def test_a_video_source_plays_its_audio(player, qtbot, speech_mp4):
    player.play_from(speech_mp4, 0)
    qtbot.waitUntil(lambda: player.playing and player.position > 300, timeout=10_000)
    assert player.duration > 1000


def shown(make_window, saved_session, qtbot):
    ids = saved_session(done=1)
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.queue.select_job(ids[0])
    bar = window.transcript.player_bar
    if not bar.available:
        pytest.skip(f"playback unavailable: {bar.status.text()}")
    return window, window.transcript, bar


def test_the_bar_plays_from_a_clicked_sentence_and_follows_it(
    make_window, saved_session, qtbot, speech_wav
):
    _, view, bar = shown(make_window, saved_session, qtbot)
    rect = view.table.visualRect(view.model.index(1, Column.TEXT))

    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: bar.playing, timeout=10_000)
    assert bar.player is not None and bar.player.source == speech_wav
    qtbot.waitUntil(lambda: bar.slider.value() >= 2600, timeout=10_000)
    assert bar.slider.maximum() == pytest.approx(6256, abs=50)
    assert bar.time_label.text().endswith("/ 0:06")
    assert view.model.playing_row == 1  # 2.6 s to 5.2 s


def test_keys_play_pause_skip_and_change_speed(make_window, saved_session, qtbot):
    _, view, bar = shown(make_window, saved_session, qtbot)
    view.table.setFocus()
    player = bar.player
    assert player is not None

    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.playing, timeout=10_000)
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not player.playing, timeout=10_000)
    at = player.position
    qtbot.keyClick(view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert player.position == at + 5000
    qtbot.keyClick(view.table, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert player.position == at
    qtbot.keyClick(view.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert bar.speed.currentText() == "1.25×" and player.rate == 1.25
    for _ in range(9):
        qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert bar.speed.currentText() == "0.5×" and player.rate == 0.5


def test_the_seek_slider_moves_playback(make_window, saved_session, qtbot):
    _, view, bar = shown(make_window, saved_session, qtbot)
    player = bar.player
    assert player is not None
    view.play_from(0)
    qtbot.waitUntil(lambda: player.playing, timeout=10_000)

    bar.slider.triggerAction(bar.slider.SliderAction.SliderPageStepAdd)  # a click on the groove

    assert player.position >= 5000
    qtbot.waitUntil(lambda: view.model.playing_row == 2, timeout=10_000)  # 5.4 s on: the 3rd


def test_without_a_source_file_the_bar_says_so(make_window, saved_session, qtbot, tmp_path):
    ids = saved_session(done=1, path=Path(tmp_path / "gone.wav"))
    window = make_window()
    window.queue.select_job(ids[0])
    bar = window.transcript.player_bar
    assert not bar.available
    assert bar.status.text() == "Source file not found"
    assert window.transcript.play_from(0) is False
