"""Faults on a Ray cluster: a killed actor loses no file; a bad file fails once, with its reason."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
from pathlib import Path

import pytest

from engine import cli
from engine.pool.jobs import Job
from engine.protocol import Stage
from tests.engine.cluster.conftest import padded_copy

LONG_REPEATS = 10  # ~60 s of speech: a file that is still running when its actor is killed


def test_a_killed_actor_loses_no_file_and_the_summary_names_the_retried_one(
    ray_cluster: None,
    speech_wav: Path,
    model_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from engine.cluster.driver import run
    from engine.cluster.target import ClusterTarget

    media = tmp_path / "media"
    for i in range(4):
        padded_copy(speech_wav, media / f"long{i}.wav", pad_ms=100 * i, repeats=LONG_REPEATS)
    out = ["--out", str(tmp_path / "out"), "--format", "srt", "--speakers", "2"]
    args = cli.build_parser().parse_args([str(media), *out, "--models", str(model_dir)])
    plan = cli.make_plan(args)
    killed: list[tuple[str, int]] = []

    def kill_mid_file(job: Job, actor_pid: int) -> None:
        if not killed and job.stage is Stage.ASR and job.percent < 50:
            killed.append((job.path, actor_pid))
            os.kill(actor_pid, signal.SIGKILL)

    summary = tmp_path / "summary.json"
    status = run(plan, ClusterTarget(), summary_json=summary, observer=kill_mid_file)

    assert killed, "no file reached the ASR stage"
    assert status == cli.EXIT_OK
    report = json.loads(summary.read_text())
    files = {f["path"]: f for f in report["files"]}
    assert sorted(files) == sorted(str(p) for p in plan.inputs)  # every file, each once
    assert all(f["state"] == "done" for f in files.values())
    retried = [path for path, f in files.items() if f["retries"]]
    assert retried == [killed[0][0]]
    assert files[retried[0]]["attempts"] == 2
    assert report["retried"] == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"long{i}.srt" for i in range(4)
    ]
    # The other actor may finish the queue before Ray has restarted this one: its death is
    # what the driver always sees.
    died = [a for a in report["actors"] if a["deaths"]]
    assert [(a["pids"][0], a["deaths"]) for a in died] == [(killed[0][1], 1)]
    assert all(a["restarts"] <= a["deaths"] for a in report["actors"])
    err = capsys.readouterr().err
    assert "4 files: 4 done, 0 failed, 0 cancelled" in err
    assert re.search(rf"retried:\n  {re.escape(killed[0][0])}: actor \d \(pid {killed[0][1]}", err)


@pytest.mark.parametrize("audio_from", ["driver", "shared"])
def test_a_bad_file_fails_once_with_its_reason_and_the_good_ones_are_written(
    audio_from: str,
    ray_cluster: None,
    speech_wav: Path,
    no_audio_mp4: Path,
    model_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(speech_wav, media / "good.wav")
    shutil.copy(speech_wav, media / "fine.wav")
    shutil.copy(no_audio_mp4, media / "silent.mp4")
    (media / "broken.mp3").write_bytes(b"this is not audio" * 100)
    out, summary = tmp_path / "out", tmp_path / "summary.json"

    cluster = ["--cluster", "ray", "--cluster-audio", audio_from, "--summary-json", str(summary)]
    options = ["--out", str(out), "--format", "srt,json", "--speakers", "2"]
    status = cli.main([str(media), *options, "--models", str(model_dir), *cluster])

    assert status == cli.EXIT_FAILED
    written = sorted(p.name for p in out.iterdir() if not p.name.endswith(".npz"))
    assert written == ["fine.json", "fine.srt", "good.json", "good.srt"]
    failed = capsys.readouterr().err.split("\nfailed:\n", 1)[1]
    assert re.search(r"silent\.mp4: no audio stream in silent\.mp4 \[no_audio_stream\]", failed)
    assert re.search(r"broken\.mp3: .*\[decode_failed\]", failed)
    report = json.loads(summary.read_text())
    bad = {Path(f["path"]).name: f for f in report["files"] if f["state"] == "failed"}
    assert sorted(bad) == ["broken.mp3", "silent.mp4"]
    assert [bad[n]["code"] for n in sorted(bad)] == ["decode_failed", "no_audio_stream"]
    assert all(f["attempts"] <= 1 and not f["retries"] for f in report["files"])
