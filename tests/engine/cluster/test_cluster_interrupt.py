"""Ctrl-C on a cluster run: exit 130, unfinished files cancelled, no Ray process left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from engine import cli
from tests.engine.cluster.conftest import padded_copy

ROOT = Path(__file__).resolve().parents[3]


def ray_processes_outside(ancestor: int) -> set[int]:
    """Live Ray processes (by command line) that are not descendants of `ancestor`."""
    parents: dict[int, int] = {}
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat[1])
        if stat[0] != "Z" and (b"ray::" in command or b"/ray/" in command or b"raylet" in command):
            found.add(pid)

    def descends(pid: int) -> bool:
        while pid > 1:
            if pid == ancestor:
                return True
            pid = parents.get(pid, 0)
        return False

    return {pid for pid in found if not descends(pid)}


def test_ctrl_c_exits_130_and_leaves_no_ray_process(
    speech_wav: Path, model_dir: Path, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    for i in range(3):
        padded_copy(speech_wav, media / f"long{i}.wav", pad_ms=100 * i, repeats=10)
    summary = tmp_path / "summary.json"
    env = dict(os.environ, RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    before = ray_processes_outside(os.getpid())
    command = [sys.executable, "-m", "gui.entry", "transcribe", str(media), "--out", str(tmp_path)]
    command += ["--models", str(model_dir), "--cluster", "ray", "--summary-json", str(summary)]
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    seen = []
    for line in child.stderr:  # plain progress lines: interrupt once a file is transcribing
        seen.append(line)
        if "  asr " in line:
            child.send_signal(signal.SIGINT)
            break
    seen += child.stderr.readlines()
    status = child.wait(timeout=120)

    assert status == cli.EXIT_INTERRUPTED, "".join(seen)[-3000:]
    report = json.loads(summary.read_text())
    assert report["cancelled"] >= 1 and report["exit_code"] == cli.EXIT_INTERRUPTED
    assert all(a["state"] in ("stopped", "dead") for a in report["actors"])
    assert ray_processes_outside(os.getpid()) <= before
