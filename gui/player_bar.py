"""The player bar under the transcript: play/pause, seek, times, speed, skip, follow.

Keyboard (anywhere in the window, except while typing in a text field):
Space play/pause · Ctrl+Left / Ctrl+Right back / forward 5 s ·
Ctrl+Down / Ctrl+Up slower / faster · Enter on a sentence plays from it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from gui.player import SKIP_MS, SPEEDS, Player, make_player
from gui.transcript_model import timestamp


def clock(ms: int) -> str:
    """`m:ss`, or `h:mm:ss` past an hour."""
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class PlayerBar(QWidget):
    """Controls for one source file; creates the `Player` the first time it is needed."""

    positionChanged = Signal(int)  # ms, while playing or after a seek
    playingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player: Player | None = None
        self._checked = False
        self._source: Path | None = None
        self._duration_hint = 0
        icon = self.style().standardIcon
        sp = QStyle.StandardPixmap
        self._play_icon, self._pause_icon = icon(sp.SP_MediaPlay), icon(sp.SP_MediaPause)

        self.play_action = self._action(self.tr("Play/Pause"), "Space", self.toggle)
        self.play_action.setIcon(self._play_icon)
        self.back_action = self._action(
            self.tr("Back 5 s"), "Ctrl+Left", lambda: self.skip(-SKIP_MS)
        )
        self.back_action.setIcon(icon(sp.SP_MediaSeekBackward))
        self.forward_action = self._action(
            self.tr("Forward 5 s"), "Ctrl+Right", lambda: self.skip(SKIP_MS)
        )
        self.forward_action.setIcon(icon(sp.SP_MediaSeekForward))
        self.slower_action = self._action(self.tr("Slower"), "Ctrl+Down", lambda: self.step(-1))
        self.faster_action = self._action(self.tr("Faster"), "Ctrl+Up", lambda: self.step(1))

        self.back_button = self._button(self.back_action)
        self.play_button = self._button(self.play_action)
        self.forward_button = self._button(self.forward_action)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(SKIP_MS)
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value()))
        self.slider.sliderMoved.connect(self._show_time)
        self.slider.actionTriggered.connect(self._slider_action)
        self.time_label = QLabel(clock(0) + " / " + clock(0))
        self.speed = QComboBox()
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip(self.tr("Playback speed (Ctrl+Up / Ctrl+Down)"))
        self.speed.currentIndexChanged.connect(self._speed_chosen)
        self.follow = QCheckBox(self.tr("Follow playback"))
        self.follow.setChecked(True)
        self.follow.setToolTip(self.tr("Keep the sentence being played in view"))
        self.status = QLabel()
        self.status.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        for widget in (self.back_button, self.play_button, self.forward_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)
        layout.addWidget(self.speed)
        layout.addWidget(self.follow)
        layout.addWidget(self.status)
        self._set_enabled(False)

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(
            f"{text} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        return button

    def shortcut_actions(self) -> list[QAction]:
        """The keyboard actions, for the window to add (their shortcuts work window-wide)."""
        return [
            self.play_action,
            self.back_action,
            self.forward_action,
            self.slower_action,
            self.faster_action,
        ]

    # ---- source and player ---------------------------------------------------------------

    def set_source(self, path: Path | None, duration_ms: int = 0) -> None:
        """The file to play (None, or a missing file, disables the bar)."""
        if path != self._source and self.player is not None:
            self.player.stop()
        self._source = path if path is not None and path.exists() else None
        self._duration_hint = duration_ms
        usable = self._source is not None and self._ensure_player() is not None
        self._set_enabled(usable)
        self.slider.setRange(0, max(duration_ms, 0))
        self.slider.setValue(0)
        self._show_time(0)
        if path is not None and self._source is None:
            self.status.setText(self.tr("Source file not found"))
        elif self._source is not None and self.player is None:
            self.status.setText(self.tr("Playback unavailable (QtMultimedia missing)"))
        else:
            self.status.setText("")

    def _ensure_player(self) -> Player | None:
        if not self._checked:
            self._checked = True
            self.player = make_player(self)
            if self.player is not None:
                self.player.positionChanged.connect(self._position)
                self.player.durationChanged.connect(self._duration)
                self.player.playingChanged.connect(self._playing)
                self.player.rateChanged.connect(self._rate)
                self.player.failed.connect(self.status.setText)
        return self.player

    def _set_enabled(self, on: bool) -> None:
        for action in self.shortcut_actions():
            action.setEnabled(on)
        for widget in (self.slider, self.speed):
            widget.setEnabled(on)

    @property
    def available(self) -> bool:
        """True when there is a source and a player to play it."""
        return self._source is not None and self.player is not None

    # ---- commands ------------------------------------------------------------------------

    def play_from(self, ms: int) -> bool:
        """Play from `ms`; False where playback is unavailable."""
        if not self.available:
            return False
        assert self.player is not None and self._source is not None
        self.player.play_from(self._source, ms)
        self.positionChanged.emit(ms)
        return True

    def toggle(self) -> None:
        """Play or pause."""
        if self.available and self.player is not None and self._source is not None:
            self.player.load(self._source)
            self.player.toggle()

    def seek(self, ms: int) -> None:
        """Go to `ms`."""
        if self.available and self.player is not None and self._source is not None:
            self.player.load(self._source)
            self.player.seek(ms)
            self.positionChanged.emit(self.player.position)

    def skip(self, delta_ms: int) -> None:
        """Move by `delta_ms`."""
        if self.player is not None and self.available:
            self.seek(self.player.position + delta_ms)

    def step(self, steps: int) -> None:
        """Choose the next faster (+1) or slower (-1) speed."""
        index = min(max(self.speed.currentIndex() + steps, 0), len(SPEEDS) - 1)
        self.speed.setCurrentIndex(index)

    def stop(self) -> None:
        """Stop playback."""
        if self.player is not None:
            self.player.stop()

    @property
    def playing(self) -> bool:
        """True while audio plays."""
        return self.player is not None and self.player.playing

    # ---- player events -------------------------------------------------------------------

    def _position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(ms)
            self._show_time(ms)
        self.positionChanged.emit(ms)

    def _duration(self, ms: int) -> None:
        self.slider.setRange(0, max(ms, self._duration_hint if ms <= 0 else 0))
        self._show_time(self.slider.value())

    def _playing(self, playing: bool) -> None:
        self.play_action.setIcon(self._pause_icon if playing else self._play_icon)
        self.playingChanged.emit(playing)

    def _rate(self, rate: float) -> None:
        closest = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - rate))
        if closest != self.speed.currentIndex():
            self.speed.setCurrentIndex(closest)

    def _speed_chosen(self, index: int) -> None:
        if self.player is not None:
            self.player.set_rate(SPEEDS[index])

    def _slider_action(self, action: int) -> None:
        # Page clicks and arrow keys on the slider seek at once; drags seek on release.
        if not self.slider.isSliderDown():
            self.seek(self.slider.sliderPosition())

    def _show_time(self, ms: int) -> None:
        self.time_label.setText(f"{clock(ms)} / {clock(self.slider.maximum())}")
        self.time_label.setToolTip(timestamp(ms))
