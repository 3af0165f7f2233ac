"""`funscribe recluster` on saved files: new speakers, the core's output, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.export import write
from engine.speakers.cli import main
from engine.speakers.embeddings import SpeakerEmbeddings, save_beside, sidecar_path
from engine.speakers.recluster import recluster
from engine.transcript import Transcript
from gui.entry import main as entry_main
from tests.engine.speakers.conftest import Transcribed


@pytest.fixture
def saved(transcribe: Transcribed, conversation_wav: Path, tmp_path: Path) -> Path:
    """A transcript saved as the app saves it: talk.json with talk.speakers.npz beside it."""
    result = transcribe(conversation_wav, speakers=2)
    path = tmp_path / "talk.json"
    Transcript.from_worker_result(result).save(path)
    assert save_beside(result, path) == sidecar_path(path)
    return path


def test_recluster_rewrites_the_transcript_with_the_new_speaker_count(
    saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = Transcript.load(saved)
    expected = recluster(before, SpeakerEmbeddings.load(sidecar_path(saved)), 3)

    assert main([str(saved), "--speakers", "3"]) == 0

    assert saved.read_text(encoding="utf-8") == expected.to_json()
    assert len(Transcript.load(saved).speakers) == 3
    assert "3 speakers" in capsys.readouterr().out


def test_recluster_back_to_the_transcription_count_restores_the_file_exactly(saved: Path) -> None:
    original = saved.read_text(encoding="utf-8")
    assert main([str(saved), "--speakers", "3"]) == 0
    assert main([str(saved), "--speakers", "2"]) == 0
    assert saved.read_text(encoding="utf-8") == original


def test_recluster_writes_other_formats_and_carries_the_embeddings_to_a_new_folder(
    saved: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert (
        entry_main(
            [
                "recluster",
                str(saved),
                "--speakers",
                "auto",
                "--out",
                str(out),
                "--format",
                "json,srt",
            ]
        )
        == 0
    )
    assert (out / "talk.srt").is_file() and (out / "talk.json").is_file()
    assert sidecar_path(out / "talk.json").is_file()
    # and that copy can be re-clustered in turn
    assert main([str(out / "talk.json"), "--speakers", "1"]) == 0
    assert len(json.loads((out / "talk.json").read_text())["speakers"]) == 1


def test_an_old_transcript_without_embeddings_opens_exports_and_says_it_needs_a_rerun(
    transcribe: Transcribed,
    conversation_wav: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # What FunScribe saved before it kept embeddings: the JSON alone.
    old = tmp_path / "old.json"
    Transcript.from_worker_result(transcribe(conversation_wav, speakers=2)).save(old)
    before = old.read_text(encoding="utf-8")

    transcript = Transcript.load(old)
    write(transcript, "srt", tmp_path / "old.srt")
    assert "Speaker 1" in (tmp_path / "old.srt").read_text(encoding="utf-8")

    assert main([str(old), "--speakers", "3"]) == 1
    err = capsys.readouterr().err
    assert "no kept speaker embeddings" in err and "transcribe the file again" in err
    assert old.read_text(encoding="utf-8") == before


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main([str(tmp_path / "missing.json"), "--speakers", "2"]) == 2
    assert main([str(tmp_path / "x.json"), "--speakers", "0"]) == 2
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    assert main([str(tmp_path / "bad.json"), "--speakers", "2"]) == 2


def test_the_serve_mode_answers_each_request_line_like_the_command(
    saved: Path, tmp_path: Path
) -> None:
    import io

    from engine.speakers.service import serve

    expected = recluster(Transcript.load(saved), SpeakerEmbeddings.load(sidecar_path(saved)), 3)
    old = tmp_path / "old.json"
    expected.save(old)  # no sidecar beside it
    requests = [
        {"id": "a", "transcript": str(saved), "speakers": 3, "out": str(tmp_path / "gui")},
        {"id": "b", "transcript": str(old), "speakers": 2},
        {"id": "c", "transcript": str(saved), "speakers": 0},
    ]
    out = io.StringIO()
    lines = "".join(json.dumps(r) + "\n" for r in requests) + "not json\n"
    assert serve(io.StringIO(lines), out) == 0

    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert answers[0] == {"ready": True}
    assert answers[1]["ok"] and answers[1]["speakers"] == 3
    assert (tmp_path / "gui" / "talk.json").read_text(encoding="utf-8") == expected.to_json()
    assert not answers[2]["ok"] and "transcribe the file again" in answers[2]["message"]
    assert not answers[3]["ok"] and answers[3]["id"] == "c"
    assert not answers[4]["ok"] and answers[4]["id"] is None
