"""Export formats: one registry of exporters (SRT, VTT, TXT, JSON, DOCX) and an atomic `write`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.atomic import write_bytes_atomic, write_text_atomic
from engine.transcript import Transcript


@dataclass(frozen=True)
class ExportOptions:
    """Choices shared by the exporters; line limits apply to subtitles only."""

    speaker_prefix: bool = True
    max_line_chars: int | None = None  # None: by script, the two limits below
    max_line_chars_latin: int = 42
    max_line_chars_cjk: int = 16
    max_lines: int = 2
    max_cue_ms: int = 7000
    txt_timestamps: bool = True  # start times before each turn in TXT and DOCX

    def __post_init__(self) -> None:
        fixed = 2 if self.max_line_chars is None else self.max_line_chars
        widths = [self.max_line_chars_latin, self.max_line_chars_cjk, fixed]
        # A one-character line could end up holding only the space of a cut word.
        if min(widths) < 2 or self.max_lines < 1 or self.max_cue_ms < 1:
            raise ValueError(f"export limits out of range: {self}")


@dataclass(frozen=True)
class Exporter:
    """One format: file extension, newline convention, and the function that renders it.

    Text formats render a str (with "\\n" line ends); document formats render bytes.
    """

    name: str
    extension: str
    description: str
    newline: str
    render: Callable[[Transcript, ExportOptions], str | bytes]


# Imported after ExportOptions exists: the format modules only name it in annotations.
from engine.export import docx, json_export, srt, txt, vtt  # noqa: E402

FORMATS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("srt", "srt", "SubRip subtitles", "\r\n", srt.render),
        Exporter("vtt", "vtt", "WebVTT subtitles", "\n", vtt.render),
        Exporter("txt", "txt", "Plain text", "\n", txt.render),
        Exporter("json", "json", "FunScribe transcript (JSON)", "\n", json_export.render),
        Exporter("docx", "docx", "Word document", "", docx.render),
    )
}


def render(transcript: Transcript, fmt: str, options: ExportOptions | None = None) -> str | bytes:
    """The transcript in format `fmt`: text with "\\n" line ends, or a document's bytes."""
    return _exporter(fmt).render(transcript, options or ExportOptions())


def write(
    transcript: Transcript, fmt: str, path: str | Path, options: ExportOptions | None = None
) -> None:
    """Write the transcript in format `fmt` to `path`: UTF-8, atomic, the format's newlines."""
    exporter = _exporter(fmt)
    out = exporter.render(transcript, options or ExportOptions())
    if isinstance(out, bytes):
        write_bytes_atomic(path, out)
    else:
        write_text_atomic(path, out, exporter.newline)


def _exporter(fmt: str) -> Exporter:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}") from None
