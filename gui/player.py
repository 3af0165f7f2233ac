"""Audio playback from a sentence, when QtMultimedia (PySide6-Addons) is installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal


def multimedia_available() -> bool:
    """True when PySide6's QtMultimedia can be imported (it ships in PySide6-Addons)."""
    try:
        return importlib.util.find_spec("PySide6.QtMultimedia") is not None
    except (ImportError, ValueError):
        return False


class Player(QObject):
    """Plays one source file from a position; reports where it is, in ms."""

    positionChanged = Signal(int)
    playingChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Imported here: QtMultimedia is optional and costs start-up time.
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self._states = QMediaPlayer.PlaybackState
        self._loaded = (
            QMediaPlayer.MediaStatus.LoadedMedia,
            QMediaPlayer.MediaStatus.BufferedMedia,
        )
        self._player: Any = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._source: Path | None = None
        self._pending_ms: int | None = None
        self._player.positionChanged.connect(self.positionChanged)
        self._player.mediaStatusChanged.connect(self._status_changed)
        self._player.playbackStateChanged.connect(
            lambda state: self.playingChanged.emit(state == self._states.PlayingState)
        )

    def play_from(self, path: Path, ms: int) -> None:
        """Play `path` starting at `ms`."""
        if self._source != path:
            self._source = path
            self._player.setSource(QUrl.fromLocalFile(str(path)))
        if self._player.mediaStatus() in self._loaded:
            self._player.setPosition(ms)
        else:
            self._pending_ms = ms  # a seek before the media is loaded would be dropped
        self._player.play()

    def _status_changed(self, status: object) -> None:
        if status in self._loaded and self._pending_ms is not None:
            self._player.setPosition(self._pending_ms)
            self._pending_ms = None

    def stop(self) -> None:
        """Stop playback."""
        self._player.stop()

    @property
    def playing(self) -> bool:
        """True while audio plays."""
        return bool(self._player.playbackState() == self._states.PlayingState)


def make_player(parent: QObject | None = None) -> Player | None:
    """A player, or None where QtMultimedia is missing or has no audio backend."""
    if not multimedia_available():
        return None
    try:
        return Player(parent)
    except (ImportError, RuntimeError):
        return None
