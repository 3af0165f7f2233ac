"""Plain text (.txt): one paragraph per speaker turn, optionally opened by its start time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from engine.export.cues import is_wide_char

if TYPE_CHECKING:
    from engine.export import ExportOptions
    from engine.transcript import Sentence, Transcript

# Without speakers there are no turns; a pause this long starts a new paragraph instead.
PAUSE_MS = 3000


def render(transcript: Transcript, options: ExportOptions) -> str:
    """The transcript as paragraphs: "[HH:MM:SS] Name: text", separated by blank lines."""
    paragraphs: list[str] = []
    for turn in turns(transcript.sentences):
        head: list[str] = []
        if options.txt_timestamps:
            head.append(f"[{clock(turn[0].start_ms)}]")
        speaker = turn[0].speaker
        if options.speaker_prefix and speaker is not None:
            head.append(transcript.speaker_name(speaker) + ":")
        paragraphs.append(" ".join([*head, join_text(s.text for s in turn)]))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def turns(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    """Runs of non-empty sentences by one speaker (or, without speakers, without long pauses)."""
    turn: list[Sentence] = []
    for s in sentences:
        if not s.text.strip():
            continue
        if turn and (
            s.speaker != turn[-1].speaker
            or (s.speaker is None and s.start_ms - turn[-1].end_ms >= PAUSE_MS)
        ):
            yield turn
            turn = []
        turn.append(s)
    if turn:
        yield turn


def join_text(texts: Iterable[str]) -> str:
    """Sentences joined by a space, or by nothing between two CJK ones."""
    out = ""
    for text in texts:
        clean = " ".join(text.split())
        if out and clean and not (is_wide_char(out[-1]) and is_wide_char(clean[0])):
            out += " "
        out += clean
    return out


def clock(ms: int) -> str:
    """Milliseconds as "HH:MM:SS"."""
    minutes, second = divmod(ms // 1000, 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02}:{minute:02}:{second:02}"
