"""SubRip (.srt): numbered cues, "HH:MM:SS,mmm" times; `write` gives it CRLF line ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.export.cues import build_cues

if TYPE_CHECKING:
    from engine.export import ExportOptions
    from engine.transcript import Transcript


def render(transcript: Transcript, options: ExportOptions) -> str:
    """The transcript as SRT text with "\\n" line ends."""
    blocks = [
        f"{n}\n{timestamp(c.start_ms)} --> {timestamp(c.end_ms)}\n"
        + "\n".join(c.display_lines())
        + "\n\n"
        for n, c in enumerate(build_cues(transcript, options), start=1)
    ]
    return "".join(blocks)


def timestamp(ms: int) -> str:
    """Milliseconds as "HH:MM:SS,mmm"."""
    seconds, milli = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02}:{minute:02}:{second:02},{milli:03}"
