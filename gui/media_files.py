"""Media files for the window: the engine's list, and the file dialog's filter."""

from __future__ import annotations

from engine.media_files import MEDIA_EXTENSIONS, Collected, collect, is_media

__all__ = ["MEDIA_EXTENSIONS", "Collected", "collect", "dialog_filter", "is_media"]


def dialog_filter() -> str:
    """A file-dialog name filter listing every media extension."""
    patterns = " ".join(f"*{ext}" for ext in sorted(MEDIA_EXTENSIONS))
    return f"Media ({patterns})"
