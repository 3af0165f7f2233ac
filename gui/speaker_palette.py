"""Speaker colours: one hue per colour slot, a darker shade on light themes, lighter on dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# Hues picked to stay apart for colour-blind readers too (Okabe-Ito order, then fillers).
_HUES = (210, 30, 150, 330, 50, 265, 180, 0, 95, 300)
_LIGHT = (0.78, 0.42)  # (saturation, lightness) that reads on a white base
_DARK = (0.70, 0.70)  # and on a near-black base


def is_dark(palette: QPalette) -> bool:
    """True when the palette's base colour is dark (text then needs lighter speaker colours)."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def speaker_color(slot: int, dark: bool) -> QColor:
    """The text colour of colour slot `slot` (stable: the slot decides, never the order)."""
    hue = _HUES[slot % len(_HUES)]
    # Past the first round, shift the hue so two speakers never share an exact colour.
    hue = (hue + 17 * (slot // len(_HUES))) % 360
    saturation, lightness = _DARK if dark else _LIGHT
    return QColor.fromHslF(hue / 360, saturation, lightness)


def speaker_tint(slot: int, dark: bool) -> QColor:
    """A faint background of the same hue, for a sentence row."""
    color = speaker_color(slot, dark)
    color.setAlphaF(0.16 if dark else 0.10)
    return color


def playing_color(dark: bool) -> QColor:
    """The background of the sentence being played: stronger than any speaker tint."""
    return QColor(255, 214, 0, 90 if dark else 110)


NO_SPEAKER = QColor(128, 128, 128)
