"""Byte counts and durations as people read them, for the CLI and the Models page."""

from __future__ import annotations


def format_bytes(count: int) -> str:
    """'950 B', '1.5 KB', '2.1 GB' (powers of 1024)."""
    value = float(count)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def format_duration(seconds: float | None) -> str:
    """'0:07', '12:30', '1:02:03'; '?' when unknown."""
    if seconds is None:
        return "?"
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
