"""Speaker colours by colour slot: a darker shade for light backgrounds, lighter for dark.

One table for the window (gui/speaker_palette.py) and for documents (the DOCX export), so a
speaker has the same hue on screen and on paper.
"""

from __future__ import annotations

import colorsys

# Hues picked to stay apart for colour-blind readers too (Okabe-Ito order, then fillers).
HUES = (210, 30, 150, 330, 50, 265, 180, 0, 95, 300)
LIGHT_BACKGROUND = (0.78, 0.42)  # (saturation, lightness) that reads on a white base
DARK_BACKGROUND = (0.70, 0.70)  # and on a near-black base


def speaker_hsl(slot: int, dark: bool) -> tuple[float, float, float]:
    """Hue, saturation and lightness (0–1) of colour slot `slot`; the slot decides, never order."""
    hue = HUES[slot % len(HUES)]
    # Past the first round, shift the hue so two speakers never share an exact colour.
    hue = (hue + 17 * (slot // len(HUES))) % 360
    saturation, lightness = DARK_BACKGROUND if dark else LIGHT_BACKGROUND
    return hue / 360, saturation, lightness


def speaker_rgb(slot: int, dark: bool = False) -> tuple[int, int, int]:
    """The same colour as 0–255 red, green, blue."""
    hue, saturation, lightness = speaker_hsl(slot, dark)
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)
