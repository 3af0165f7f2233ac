"""Speaker colours: one hue per colour slot, a darker shade on light themes, lighter on dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from engine.speaker_colors import speaker_hsl


def is_dark(palette: QPalette) -> bool:
    """True when the palette's base colour is dark (text then needs lighter speaker colours)."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def speaker_color(slot: int, dark: bool) -> QColor:
    """The text colour of colour slot `slot` (stable: the slot decides, never the order)."""
    return QColor.fromHslF(*speaker_hsl(slot, dark))


def speaker_tint(slot: int, dark: bool) -> QColor:
    """A faint background of the same hue, for a sentence row."""
    color = speaker_color(slot, dark)
    color.setAlphaF(0.16 if dark else 0.10)
    return color


def playing_color(dark: bool) -> QColor:
    """The background of the sentence being played: stronger than any speaker tint, and not
    the search marker's yellow."""
    return QColor(150, 110, 255, 110 if dark else 80)


NO_SPEAKER = QColor(128, 128, 128)
