"""Audio playback of a transcript's source, when QtMultimedia (PySide6-Addons) is installed.

`Player` wraps QMediaPlayer with what the player bar needs: play, pause, seek, skip and
speed (QMediaPlayer keeps the pitch), position and duration in ms. A seek asked for before
the media has loaded is kept and applied once it has (QMediaPlayer would drop it). Video
files play their audio track only: no video output is attached.

Calls that tear down the FFmpeg backend's audio thread (stop, a new source) are queued to
the event loop instead of made from Python. Made from Python they hold the GIL while the
backend waits for that thread, and that thread can need the GIL itself (it calls into our
QAudioOutput's PySide wrapper, which takes it): a deadlock seen at window close in CI (main
thread in QObject::disconnect under stop(), the audio thread in PyGILState_Ensure). From
the event loop no Python frame holds the GIL.

The backend's threads also call our objects' `connectNotify`/`disconnectNotify` (its
renderer connects to the audio output's signals, and its destructor disconnects them).
Those are virtuals of PySide's wrapper classes, and the first call on each object takes
the GIL to look for a Python override, while holding Qt's connection lock: a main thread
holding the GIL and waiting for that lock (any connect) deadlocked a test run. Shiboken
keeps "no override" per object for good, so `_settle_overrides` makes those first calls
from this thread, where the GIL is ours.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, QUrl, Signal

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
SKIP_MS = 5000


def multimedia_available() -> bool:
    """True when PySide6's QtMultimedia can be imported (it ships in PySide6-Addons)."""
    try:
        return importlib.util.find_spec("PySide6.QtMultimedia") is not None
    except (ImportError, ValueError):
        return False


class Player(QObject):
    """Plays one source file; reports where it is and how long it is, in ms."""

    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playingChanged = Signal(bool)
    rateChanged = Signal(float)
    loaded = Signal()  # the media is ready: seeks and the duration are real now
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Imported here: QtMultimedia is optional and costs start-up time.
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self._states = QMediaPlayer.PlaybackState
        self._loaded = (
            QMediaPlayer.MediaStatus.LoadedMedia,
            QMediaPlayer.MediaStatus.BufferedMedia,
            QMediaPlayer.MediaStatus.BufferingMedia,
            QMediaPlayer.MediaStatus.EndOfMedia,
        )
        self._invalid = QMediaPlayer.MediaStatus.InvalidMedia
        self._player: Any = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        _settle_overrides(self._output.volumeChanged, self._player.sourceChanged)
        self._source: Path | None = None
        self._pending_ms: int | None = None
        self._switching = False  # a queued new source has not reached the player yet
        # QMediaPlayer speaks qint64 and qreal; these signals speak Python int and float.
        self._player.positionChanged.connect(lambda ms: self.positionChanged.emit(int(ms)))
        self._player.durationChanged.connect(lambda ms: self.durationChanged.emit(int(ms)))
        self._player.playbackRateChanged.connect(lambda rate: self.rateChanged.emit(float(rate)))
        self._player.mediaStatusChanged.connect(self._status_changed)
        self._player.errorOccurred.connect(lambda _error, text: self.failed.emit(text))
        self._player.playbackStateChanged.connect(
            lambda state: self.playingChanged.emit(state == self._states.PlayingState)
        )

    @property
    def source(self) -> Path | None:
        """The file loaded, or None."""
        return self._source

    def load(self, path: Path) -> None:
        """Make `path` the source (nothing happens if it already is)."""
        if self._source == path:
            return
        self._source = path
        self._pending_ms = None
        url = QUrl.fromLocalFile(str(path))
        if self._player.playbackState() == self._states.StoppedState and not self._switching:
            self._player.setSource(url)
            return
        self._switching = True
        self._queue("stop")
        self._queue("setSource", Q_ARG(QUrl, url))

    def play_from(self, path: Path, ms: int) -> None:
        """Play `path` starting at `ms`."""
        self.load(path)
        self.seek(ms)
        self.play()

    def play(self) -> None:
        """Start or resume playback."""
        if self._switching:
            self._queue("play")  # after the queued source change
        else:
            self._player.play()

    def pause(self) -> None:
        """Pause; `play` resumes here."""
        self._player.pause()

    def toggle(self) -> None:
        """Pause while playing, play otherwise."""
        if self.playing:
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        """Stop playback (queued: see the module's note on the GIL)."""
        self._queue("stop")

    def _queue(self, slot: str, *args: Any) -> None:
        QMetaObject.invokeMethod(self._player, slot, Qt.ConnectionType.QueuedConnection, *args)

    def seek(self, ms: int) -> None:
        """Go to `ms` (clamped to the media)."""
        ms = max(0, ms)
        if self.duration > 0:
            ms = min(ms, self.duration)
        if self._player.mediaStatus() in self._loaded and not self._switching:
            self._player.setPosition(ms)
        else:
            self._pending_ms = ms

    def skip(self, delta_ms: int) -> None:
        """Move `delta_ms` forward (negative: back)."""
        self.seek(self.position + delta_ms)

    def set_rate(self, rate: float) -> None:
        """Playback speed, 0.5 to 2 (the pitch stays)."""
        self._player.setPlaybackRate(min(max(rate, SPEEDS[0]), SPEEDS[-1]))

    @property
    def rate(self) -> float:
        """The playback speed."""
        return float(self._player.playbackRate())

    @property
    def position(self) -> int:
        """Where playback is, in ms (a pending seek counts)."""
        if self._pending_ms is not None:
            return self._pending_ms
        return int(self._player.position())

    @property
    def duration(self) -> int:
        """The media's length in ms (0 until loaded)."""
        return int(self._player.duration())

    @property
    def playing(self) -> bool:
        """True while audio plays."""
        return bool(self._player.playbackState() == self._states.PlayingState)

    def _status_changed(self, status: object) -> None:
        if self._switching:
            if self._source is None or self._player.source() != QUrl.fromLocalFile(
                str(self._source)
            ):
                return  # the old source winding down
            self._switching = False
        if status in self._loaded:
            if self._pending_ms is not None:
                ms, self._pending_ms = self._pending_ms, None
                self._player.setPosition(ms)
            self.loaded.emit()
        elif status == self._invalid:
            self.failed.emit(self._player.errorString())


def _settle_overrides(*signals: Any) -> None:
    """Connect and disconnect once on each signal's object, here, with the GIL (see the
    module's note): later calls of those virtuals from other threads do not take it."""
    for signal in signals:
        signal.connect(_ignore)
        signal.disconnect(_ignore)


def _ignore(*_args: Any) -> None:
    """A slot that does nothing."""


def make_player(parent: QObject | None = None) -> Player | None:
    """A player, or None where QtMultimedia is missing or has no audio backend."""
    if not multimedia_available():
        return None
    try:
        return Player(parent)
    except (ImportError, RuntimeError):
        return None
