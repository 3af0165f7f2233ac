"""Dropping files and folders on the window queues the media among them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from gui.queue_model import Column


def drop(window, paths: list[Path]) -> None:
    """Hand the window's drop handler a real drop event carrying `paths` as file URLs.

    (QApplication refuses to route a synthetic drop that no drag manager started.)
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(window.width() / 2, window.height() / 2),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert event.isAccepted()


def names(window) -> list[str]:
    model = window.queue_model
    return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]


def test_dropping_three_media_files_and_a_text_file_adds_three_rows_and_a_notice(
    make_window, tmp_path, speech_wav, speech_mp4, no_audio_mp4
):
    notes = tmp_path / "notes.txt"
    notes.write_text("not media")
    window = make_window()

    drop(window, [speech_wav, notes, speech_mp4, no_audio_mp4])

    assert names(window) == ["speech.wav", "speech.mp4", "no_audio.mp4"]
    assert "notes.txt" in window.last_notice
    assert all(job.path.endswith((".wav", ".mp4")) for job in window.pool.jobs())


def test_dropping_a_folder_adds_the_media_files_inside_it(make_window, tmp_path, speech_wav):
    folder = tmp_path / "interviews"
    (folder / "day two").mkdir(parents=True)
    shutil.copy(speech_wav, folder / "a.wav")
    shutil.copy(speech_wav, folder / "day two" / "b.WAV")
    (folder / "readme.md").write_text("notes")
    (folder / ".hidden.wav").write_bytes(b"")
    window = make_window()

    drop(window, [folder])

    assert names(window) == ["a.wav", "b.WAV"]
    assert "readme.md" in window.last_notice


def test_dropping_a_file_already_waiting_in_the_queue_does_not_add_it_twice(
    make_window, speech_wav
):
    window = make_window()
    drop(window, [speech_wav])
    drop(window, [speech_wav])

    assert names(window) == ["speech.wav"]
    assert "already in the queue" in window.last_notice


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Qt 6 keeps only the QPoint form
def test_the_window_accepts_a_drag_carrying_file_urls(make_window, speech_wav):
    from PySide6.QtGui import QDragEnterEvent

    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(speech_wav))])
    event = QDragEnterEvent(
        window.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()
    window.dragEnterEvent(event)
    assert event.isAccepted()
