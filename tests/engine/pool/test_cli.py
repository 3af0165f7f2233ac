"""`funscribe transcribe`: arguments, output names, and whole runs with real workers."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from engine import cli, cli_run
from engine.pool import procs
from engine.protocol import JobOptions
from tests.engine.pool.pool_helpers import fake_config

ROOT = Path(__file__).resolve().parents[3]


def funscribe(*args: str) -> list[str]:
    """The command line of `funscribe ARGS` from source."""
    return [sys.executable, "-m", "gui.entry", *args]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


# ---- arguments and names (no workers) -----------------------------------------------------


def test_formats_are_checked_and_deduplicated() -> None:
    assert cli.parse_formats("srt, TXT,srt") == ["srt", "txt"]
    with pytest.raises(cli.UsageError, match="pdf"):
        cli.parse_formats("srt,pdf")


def test_folders_expand_to_media_files_and_skip_other_and_hidden_files(tmp_path: Path) -> None:
    for name in ("b.wav", "a.MP4", "notes.txt", "sub/c.flac", ".hidden/d.wav"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = cli.expand_inputs([str(tmp_path), str(tmp_path / "b.wav")])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.MP4", "b.wav", "sub/c.flac"]


def test_two_inputs_with_the_same_stem_never_share_an_output(tmp_path: Path) -> None:
    inputs = [Path("x/talk.wav"), Path("y/talk.mp4"), Path("z/Talk.wav"), Path("z/other.wav")]
    outputs, notes = cli.plan_outputs(inputs, tmp_path)
    assert [outputs[p].name for p in inputs] == ["talk", "talk-2", "Talk-3", "other"]
    assert len(notes) == 2 and "y/talk.mp4" in notes[0]


@pytest.mark.parametrize(
    "args",
    [
        ["missing.wav"],
        ["--format", "doc", "tests/data/speech.wav"],
        ["--workers", "0", "tests/data/speech.wav"],
        ["--speakers", "many", "tests/data/speech.wav"],
        [],
    ],
)
def test_usage_errors_exit_with_status_2(
    args: list[str], model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*args, "--models", str(model_dir)]) == cli.EXIT_USAGE
    assert "error" in capsys.readouterr().err


def test_a_run_without_models_is_a_usage_error_that_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv(cli.MODELS_ENV, raising=False)
    monkeypatch.setenv("FUNSCRIBE_MODEL_CACHE", str(tmp_path))  # an empty model cache
    clip = str(ROOT / "tests/data/speech.wav")

    assert cli.main([clip]) == cli.EXIT_USAGE
    assert "funscribe models download zh" in capsys.readouterr().err
    assert cli.main([clip, "--preset", "en"]) == cli.EXIT_USAGE
    assert "funscribe models download en" in capsys.readouterr().err
    assert cli.main([clip, "--preset", "klingon"]) == cli.EXIT_USAGE
    assert "unknown preset 'klingon'" in capsys.readouterr().err


def test_speakers_take_a_number_or_auto() -> None:
    args = cli.build_parser().parse_args(["a.wav", "--speakers", "auto"])
    assert args.speakers is None
    assert cli.build_parser().parse_args(["a.wav", "--speakers", "3"]).speakers == 3


# ---- whole runs ------------------------------------------------------------------------


def test_a_folder_of_good_and_bad_files_writes_the_good_and_names_the_bad(
    tmp_path: Path, model_dir: Path, speech_wav: Path, speech_mp4: Path, no_audio_mp4: Path
) -> None:
    media = tmp_path / "media"
    (media / "sub").mkdir(parents=True)
    shutil.copy(speech_wav, media / "good.wav")
    shutil.copy(speech_mp4, media / "sub" / "video.mp4")
    shutil.copy(no_audio_mp4, media / "silent.mp4")
    (media / "broken.mp3").write_bytes(b"this is not audio" * 100)
    (media / "readme.txt").write_text("not media")
    out = tmp_path / "out"
    result = subprocess.run(
        funscribe(
            "transcribe",
            str(media),
            "--out",
            str(out),
            "--models",
            str(model_dir),
            "--workers",
            "1",
            "--threads",
            "1",
            "--format",
            "srt,json",
        ),
        capture_output=True,
        text=True,
        timeout=240,
        env=child_env(),
        cwd=ROOT,
    )
    assert result.returncode == 1, result.stderr
    # Beside each JSON transcript: its speaker embeddings, for `funscribe recluster`.
    assert sorted(p.name for p in out.iterdir()) == [
        "good.json",
        "good.speakers.npz",
        "good.srt",
        "video.json",
        "video.speakers.npz",
        "video.srt",
    ]
    assert "-->" in (out / "good.srt").read_text()
    failed = result.stderr.split("\nfailed:\n", 1)[1]
    assert re.search(r"silent\.mp4: .*no audio stream", failed)
    assert re.search(r"broken\.mp3: .*decode_failed", failed)
    assert "4 files: 2 done, 2 failed, 0 cancelled" in result.stderr
    assert "realtime factor" in result.stderr


def test_ctrl_c_exits_130_and_leaves_no_worker_process(
    tmp_path: Path, model_dir: Path, long_clip: Path
) -> None:
    inputs = [shutil.copy(long_clip, tmp_path / f"long{i}.wav") for i in range(3)]
    process = subprocess.Popen(
        funscribe(
            "transcribe",
            *map(str, inputs),
            "--out",
            str(tmp_path / "out"),
            "--models",
            str(model_dir),
            "--workers",
            "2",
            "--threads",
            "1",
        ),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=child_env(),
        cwd=ROOT,
    )
    lines = read_lines(process)
    try:
        seen = ""
        deadline = time.monotonic() + 180
        while not re.search(r"long\d\.wav  (vad|asr) ", seen):  # a file is mid-job
            seen += lines.get(timeout=max(deadline - time.monotonic(), 0.1)) or ""
        workers = procs.children(process.pid)
        assert len(workers) == 2
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
    for worker in workers:
        assert not procs.alive(worker)
        assert procs.group_members(worker) == []  # nor anything the worker started
    rest = "".join(iter(lambda: lines.get(timeout=10), None))
    assert "interrupted" in rest
    assert "3 files: 0 done, 0 failed, 3 cancelled" in rest


def read_lines(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The process's stderr lines as they come, then None."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stderr or []:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_a_worker_that_always_dies_after_hello_ends_the_run_naming_the_cause_after_k_spawns(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pidlog = tmp_path / "pids"
    clips = [tmp_path / f"clip{n}.wav" for n in range(3)]
    plan = cli.Plan(
        inputs=clips,
        outputs={clip: tmp_path / clip.stem for clip in clips},
        formats=["txt"],
        options=JobOptions(),
        models_args=[],
        workers=1,
        threads=1,
    )
    config = fake_config("--exit-after-hello", "--pidlog", str(pidlog), respawn_delay_ms=20)
    assert cli_run.run(plan, config) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert "3 files: 0 done, 3 failed, 0 cancelled" in err
    [cause] = [line for line in err.splitlines() if line.startswith("error: no worker could")]
    assert "(exit code 1)" in cause  # it died with or without its job, whichever came first
    assert "gave up after 3 workers in a row died before finishing a job" in cause
    assert len(pidlog.read_text().split()) == 3  # K spawns, no more
