"""Word (.docx): a title, then one paragraph per speaker turn, the name in the speaker's colour.

python-docx is imported when a document is rendered, not when the registry loads: the
window and the CLI start without it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from engine.export.txt import clock, join_text, turns
from engine.speaker_colors import speaker_rgb

if TYPE_CHECKING:
    from engine.export import ExportOptions
    from engine.transcript import Transcript


def render(transcript: Transcript, options: ExportOptions) -> bytes:
    """The transcript as a .docx file's bytes (timestamps follow `options.txt_timestamps`)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    document = Document()
    title = Path(transcript.source_path).name or "Transcript"
    document.add_heading(title, level=1)
    slots = {s.index: s.color_slot for s in transcript.speakers}
    for turn in turns(transcript.sentences):
        paragraph = document.add_paragraph()
        if options.txt_timestamps:
            stamp = paragraph.add_run(f"[{clock(turn[0].start_ms)}] ")
            stamp.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
            stamp.font.size = Pt(9)
        speaker = turn[0].speaker
        if options.speaker_prefix and speaker is not None:
            name = paragraph.add_run(transcript.speaker_name(speaker) + ":")
            name.bold = True
            name.font.color.rgb = RGBColor(*speaker_rgb(slots.get(speaker, speaker)))
            paragraph.add_run(" ")
        paragraph.add_run(join_text(s.text for s in turn))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
