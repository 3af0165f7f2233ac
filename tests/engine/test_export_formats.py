"""The four formats: what tools accept, how speakers and edits show, and their conventions."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import srt
import webvtt

from engine import export
from engine.export import ExportOptions
from engine.transcript import Transcript

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "transcript.schema.json").read_text(encoding="utf-8")
)


def sentence(start: int, end: int, text: str, speaker: int | None, words: str) -> dict[str, Any]:
    """A worker sentence whose tokens share its time evenly."""
    tokens = words.split()
    step = (end - start) // max(len(tokens), 1)
    return {
        "start": start,
        "end": end,
        "text": text,
        "speaker": speaker,
        "tokens": [
            {"text": w, "start": start + n * step, "end": start + (n + 1) * step}
            for n, w in enumerate(tokens)
        ],
    }


def conversation() -> Transcript:
    """Two speakers (FunASR clusters 3 then 1), Chinese and English, one sentence untimed."""
    return Transcript.from_worker_result(
        {
            "version": 1,
            "source": {"path": "/media/meeting.mp4", "duration_ms": 30_000},
            "models": {"asr": "paraformer", "vad": "fsmn", "punc": "ct-punc", "spk": "campp"},
            "sentences": [
                sentence(8000, 9000, "Sounds good.", 1, "sounds good"),
                sentence(
                    500,
                    4500,
                    "你好，欢迎大家来参加今天的会议，我们先看一下预算。",
                    3,
                    "你 好 欢 迎 大 家 来 参 加 今 天 的 会 议 我 们 先 看 一 下 预 算",
                ),
                sentence(
                    4600,
                    7900,
                    "Thanks, I'd like to start with the budget for the next quarter & more.",
                    1,
                    "thanks i'd like to start with the budget for the next quarter more",
                ),
                {"start": 9500, "end": 12000, "text": "好的，没问题。", "speaker": 3, "tokens": []},
            ],
        }
    )


def render_all(t: Transcript) -> dict[str, str]:
    """Every format's text for a transcript (a document's text as python-docx reads it)."""
    return {fmt: as_text(export.render(t, fmt)) for fmt in export.FORMATS}


def as_text(out: str | bytes) -> str:
    if isinstance(out, str):
        return out
    import io

    import docx

    return "\n\n".join(p.text for p in docx.Document(io.BytesIO(out)).paragraphs[1:]) + "\n"


def test_the_registry_has_the_five_formats_with_their_extensions() -> None:
    assert list(export.FORMATS) == ["srt", "vtt", "txt", "json", "docx"]
    assert all(e.extension == name for name, e in export.FORMATS.items())
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export.render(conversation(), "pdf")


def test_srt_parses_with_the_srt_package(tmp_path: Path) -> None:
    path = tmp_path / "out.srt"
    export.write(conversation(), "srt", path)
    subtitles = list(srt.parse(path.read_text(encoding="utf-8")))
    assert subtitles[0].content.startswith("Speaker 1: 你好，")
    assert all(a.end <= b.start for a, b in itertools.pairwise(subtitles))


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_ffmpeg_accepts_the_subtitles(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"out.{fmt}"
    export.write(conversation(), fmt, source)
    target = tmp_path / "out.ass"
    run = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    dialogue = [x for x in target.read_text(encoding="utf-8").splitlines() if x.startswith("Dia")]
    assert len(dialogue) == len(export.render(conversation(), "srt").split("\n\n")) - 1
    assert "Speaker 2: Thanks" in target.read_text(encoding="utf-8")


def test_vtt_parses_with_webvtt_py_and_escapes_markup(tmp_path: Path) -> None:
    path = tmp_path / "out.vtt"
    export.write(conversation(), "vtt", path)
    captions = webvtt.read(str(path)).captions
    assert captions[0].text.startswith("Speaker 1: 你好，")
    assert any("&amp; more." in c.raw_text for c in captions)


def test_json_export_is_the_transcript_and_validates_against_the_schema(tmp_path: Path) -> None:
    t = conversation()
    path = tmp_path / "out.json"
    export.write(t, "json", path)
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)
    assert Transcript.load(path) == t


def test_first_speaker_in_time_is_exported_as_speaker_1() -> None:
    out = render_all(conversation())
    for fmt in ("srt", "vtt", "txt", "docx"):
        assert out[fmt].index("Speaker 1: 你好") < out[fmt].index("Speaker 2: Thanks"), fmt
    assert [s["speaker"] for s in json.loads(out["json"])["sentences"]] == [0, 1, 1, 0]


def test_a_renamed_speaker_shows_in_all_five_formats() -> None:
    t = conversation()
    t.rename_speaker(0, "王老师")
    out = render_all(t)
    for fmt in ("srt", "vtt", "txt", "docx"):
        assert "王老师: 你好" in out[fmt] and "Speaker 1" not in out[fmt], fmt
    assert json.loads(out["json"])["speakers"][0]["name"] == "王老师"


def test_merged_speakers_show_as_one_in_all_five_formats() -> None:
    t = conversation()
    t.rename_speaker(1, "Ann")
    t.merge_speakers(keep=1, remove=0)
    out = render_all(t)
    for fmt in ("srt", "vtt", "txt", "docx"):
        assert "Ann: 你好" in out[fmt] and "Speaker" not in out[fmt], fmt
        assert out[fmt].count("Ann:") == 1, fmt  # one turn now: the name opens it once
    data = json.loads(out["json"])
    assert data["speakers"] == [{"index": 1, "name": "Ann", "color_slot": 1}]
    assert {s["speaker"] for s in data["sentences"]} == {1}


def test_an_edited_sentence_shows_in_all_five_formats() -> None:
    t = conversation()
    t.edit_sentence(2, "Sounds great, really.")
    for fmt, text in render_all(t).items():
        assert "Sounds great, really." in text, fmt
        assert "Sounds good." not in text, fmt


def test_txt_has_one_paragraph_per_speaker_turn_with_start_times() -> None:
    assert export.render(conversation(), "txt") == (
        "[00:00:00] Speaker 1: 你好，欢迎大家来参加今天的会议，我们先看一下预算。\n\n"
        "[00:00:04] Speaker 2: Thanks, I'd like to start with the budget for the next quarter"
        " & more. Sounds good.\n\n"
        "[00:00:09] Speaker 1: 好的，没问题。\n"
    )


def test_txt_without_timestamps_or_names_is_just_the_paragraphs() -> None:
    options = ExportOptions(speaker_prefix=False, txt_timestamps=False)
    text = export.render(conversation(), "txt", options)
    assert text.startswith("你好，欢迎") and "\n\nThanks, I'd" in text and "[" not in text


def test_txt_without_speakers_starts_a_paragraph_after_a_long_pause() -> None:
    t = Transcript.from_worker_result(
        {
            "version": 1,
            "source": {"path": "a", "duration_ms": 20_000},
            "models": {},
            "sentences": [
                sentence(0, 1000, "One.", None, ""),
                sentence(1200, 2000, "Two.", None, ""),
                sentence(9000, 9500, "Three.", None, ""),
            ],
        }
    )
    assert export.render(t, "txt") == "[00:00:00] One. Two.\n\n[00:00:09] Three.\n"


def test_speaker_prefix_can_be_left_out_of_subtitles() -> None:
    text = export.render(conversation(), "srt", ExportOptions(speaker_prefix=False))
    assert "Speaker" not in text and "你好，" in text


def test_files_are_utf8_with_crlf_for_srt_and_lf_elsewhere(tmp_path: Path) -> None:
    for fmt in ("srt", "vtt", "txt", "json"):  # the text formats
        data = (tmp_path / f"out.{fmt}").resolve()
        export.write(conversation(), fmt, data)
        raw = data.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), fmt  # no BOM
        raw.decode("utf-8")
        if fmt == "srt":
            assert raw.count(b"\r\n") == raw.count(b"\n") > 0
        else:
            assert b"\r" not in raw, fmt
    assert (tmp_path / "out.vtt").read_bytes().startswith(b"WEBVTT\n\n")


def test_a_transcript_without_sentences_exports_empty_but_valid_files() -> None:
    t = Transcript("a.wav", 0)
    out = render_all(t)
    assert out["srt"] == "" and out["txt"] == ""
    assert webvtt.from_string(out["vtt"]).captions == []
    jsonschema.validate(json.loads(out["json"]), SCHEMA)


def test_out_of_range_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        ExportOptions(max_lines=0)
    for width in (0, 1):
        with pytest.raises(ValueError):
            ExportOptions(max_line_chars=width)
    with pytest.raises(ValueError):
        ExportOptions(max_cue_ms=0)
