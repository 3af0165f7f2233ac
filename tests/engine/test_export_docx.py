"""DOCX export: one paragraph per speaker turn, names in their colours, read by pandoc."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from engine import export
from engine.export import ExportOptions
from engine.speaker_colors import speaker_rgb
from tests.engine.test_export_formats import conversation

PANDOC = shutil.which("pandoc")


def paragraphs(data: bytes) -> list[docx.text.paragraph.Paragraph]:
    return docx.Document(io.BytesIO(data)).paragraphs


def test_each_speaker_turn_is_one_paragraph_opened_by_time_and_coloured_name() -> None:
    t = conversation()
    t.rename_speaker(1, "Ann")

    title, *turns = paragraphs(export.render(t, "docx"))  # type: ignore[arg-type]

    assert title.text == "meeting.mp4"
    assert [p.text.split(": ", 1)[0] for p in turns] == [
        "[00:00:00] Speaker 1",
        "[00:00:04] Ann",
        "[00:00:09] Speaker 1",
    ]
    assert "start with the budget for the next quarter & more. Sounds good." in turns[1].text
    name = turns[1].runs[1]
    assert name.text == "Ann:" and name.bold
    assert tuple(name.font.color.rgb) == speaker_rgb(t.speaker(1).color_slot)
    assert tuple(turns[0].runs[1].font.color.rgb) != tuple(name.font.color.rgb)


def test_timestamps_and_names_can_be_left_out() -> None:
    options = ExportOptions(speaker_prefix=False, txt_timestamps=False)
    _, first, *_ = paragraphs(export.render(conversation(), "docx", options))  # type: ignore[arg-type]
    assert first.text.startswith("你好，欢迎")


@pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed (Debian: apt install pandoc)")
def test_pandoc_reads_every_sentence_and_speaker_name_from_the_docx(tmp_path: Path) -> None:
    t = conversation()
    t.rename_speaker(0, "王老师")
    path = tmp_path / "meeting.docx"
    export.write(t, "docx", path)

    plain = subprocess.run(
        [PANDOC, "-f", "docx", "-t", "plain", str(path)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(plain.split())

    for sentence in t.sentences:
        assert " ".join(sentence.text.split()) in flat, sentence.text
    for speaker in t.speakers:
        assert f"{speaker.display_name}:" in flat
    assert flat.count("王老师:") == 2 and flat.count("Speaker 2:") == 1
