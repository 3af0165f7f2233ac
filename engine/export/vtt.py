"""WebVTT (.vtt): a "WEBVTT" header, then cues with "HH:MM:SS.mmm" times; LF line ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.export.cues import build_cues

if TYPE_CHECKING:
    from engine.export import ExportOptions
    from engine.transcript import Transcript


def render(transcript: Transcript, options: ExportOptions) -> str:
    """The transcript as WebVTT text."""
    blocks = ["WEBVTT\n"]
    for c in build_cues(transcript, options):
        lines = "\n".join(escape(line) for line in c.display_lines())
        blocks.append(f"{timestamp(c.start_ms)} --> {timestamp(c.end_ms)}\n{lines}\n")
    return "\n".join(blocks)


def escape(text: str) -> str:
    """Cue text with "&", "<" and ">" escaped, so it is never read as markup or "-->"."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def timestamp(ms: int) -> str:
    """Milliseconds as "HH:MM:SS.mmm"."""
    seconds, milli = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02}:{minute:02}:{second:02}.{milli:03}"
