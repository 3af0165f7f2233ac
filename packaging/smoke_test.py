"""Smoke test of the frozen build (`make package-test`), run from outside the source tree.

    python packaging/smoke_test.py dist/funscribe MODELS_DIR

Checks `--version`, `--self-test`, a 2-worker `transcribe` whose SRT and JSON equal the
unfrozen CLI's, and that the GUI starts offscreen without import errors. With
FUNSCRIBE_SMOKE_MEETING=WAV (a 40-minute two-voice file, e.g. made by
`engine.testing.speech.meeting`), also both long-file clustering paths, frozen vs unfrozen.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1]


def frozen_env() -> dict[str, str]:
    """No way back to the source: no PYTHONPATH, no venv, run from a temp folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def check(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)
    return ok


def run(
    cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    print(f"  ran {' '.join(cmd[:3])}... in {time.perf_counter() - started:.1f} s", flush=True)
    return result


def main(dist: str, models: str) -> int:
    exe = Path(dist).resolve() / "funscribe"
    work = Path(tempfile.mkdtemp(prefix="funscribe-smoke-"))
    env = frozen_env()
    results = []

    version = run([str(exe), "--version"], work, env)
    results.append(
        check(
            "version",
            version.returncode == 0 and "funscribe" in version.stdout,
            version.stdout.strip() or version.stderr[-500:],
        )
    )

    selftest = run([str(exe), "--self-test", models], work, env)
    results.append(
        check(
            "self-test",
            selftest.returncode == 0 and "self-test OK" in selftest.stdout,
            (selftest.stdout + selftest.stderr[-800:]).strip(),
        )
    )

    inputs = work / "inputs"
    inputs.mkdir()
    shutil.copy(SOURCE / "tests" / "data" / "speech.wav", inputs / "first.wav")
    shutil.copy(SOURCE / "tests" / "data" / "speech.mp4", inputs / "second.mp4")
    common = ["--workers", "2", "--threads", "1", "--format", "srt,json", "--models", models]
    frozen_out, source_out = work / "frozen", work / "source"
    frozen = run(
        [str(exe), "transcribe", str(inputs), "--out", str(frozen_out), *common], work, env
    )
    source_env = dict(os.environ, PYTHONPATH=str(SOURCE))
    source = run(
        [
            sys.executable,
            "-m",
            "gui.entry",
            "transcribe",
            str(inputs),
            "--out",
            str(source_out),
            *common,
        ],
        work,
        source_env,
    )
    names = ["first.srt", "first.json", "second.srt", "second.json"]
    same = (
        frozen.returncode == 0
        and source.returncode == 0
        and all(
            (frozen_out / n).is_file()
            and filecmp.cmp(frozen_out / n, source_out / n, shallow=False)
            for n in names
        )
    )
    sentences = 0
    if (frozen_out / "first.json").is_file():
        sentences = len(json.loads((frozen_out / "first.json").read_text())["sentences"])
    results.append(
        check(
            "transcribe",
            same and sentences > 0,
            f"2 files, 2 frozen workers, outputs equal the unfrozen CLI's "
            f"({sentences} sentences in first.json)"
            if same
            else f"exit {frozen.returncode}/{source.returncode}: {frozen.stderr[-800:]}",
        )
    )

    meeting = os.environ.get("FUNSCRIBE_SMOKE_MEETING")
    if meeting:  # a long recording: FunASR's k-means and UMAP + HDBSCAN paths, frozen
        results += [
            long_meeting_check(exe, work, env, models, Path(meeting), speakers)
            for speakers in ("2", "auto")
        ]

    # Its own settings and data folder, and the models given, so no first-run dialog.
    gui_env = dict(
        env,
        HOME=str(work),
        XDG_CONFIG_HOME=str(work / "config"),
        FUNSCRIBE_DATA_DIR=str(work / "data"),
        FUNSCRIBE_MODELS=models,
    )
    gui = run([str(exe), "--quit-after", "3000"], work, gui_env, timeout=120)
    log = gui.stdout + gui.stderr
    clean = (
        gui.returncode == 0
        and "window shown: True" in log
        and not any(sign in log for sign in ("Traceback", "ImportError", "ModuleNotFoundError"))
    )
    results.append(
        check("gui", clean, f"exit {gui.returncode}" + ("" if clean else f": {log[-800:]}"))
    )

    shutil.rmtree(work, ignore_errors=True)
    return 0 if all(results) else 1


def long_meeting_check(
    exe: Path, work: Path, env: dict[str, str], models: str, meeting: Path, speakers: str
) -> bool:
    """A long two-voice file (>= 2048 speaker windows): frozen JSON equals the unfrozen's."""
    common = ["--workers", "1", "--threads", "1", "--format", "json", "--models", models]
    common += ["--speakers", speakers]
    outs = {kind: work / f"meeting-{speakers}-{kind}" for kind in ("frozen", "source")}
    frozen = run(
        [str(exe), "transcribe", str(meeting), "--out", str(outs["frozen"]), *common],
        work,
        env,
        timeout=3600,
    )
    source_cmd = [sys.executable, "-m", "gui.entry", "transcribe", str(meeting)]
    source = run(
        [*source_cmd, "--out", str(outs["source"]), *common],
        work,
        dict(os.environ, PYTHONPATH=str(SOURCE)),
        timeout=3600,
    )
    name = f"{meeting.stem}.json"
    same = (
        frozen.returncode == 0
        and source.returncode == 0
        and filecmp.cmp(outs["frozen"] / name, outs["source"] / name, shallow=False)
    )
    speakers_found = 0
    if (outs["frozen"] / name).is_file():
        speakers_found = len(json.loads((outs["frozen"] / name).read_text())["speakers"])
    return check(
        f"long meeting, speakers {speakers}",
        same and speakers_found > 1 and "numba" not in frozen.stderr,
        f"frozen JSON equals the unfrozen CLI's, {speakers_found} speakers"
        if same
        else f"exit {frozen.returncode}/{source.returncode}: {frozen.stderr[-800:]}",
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
