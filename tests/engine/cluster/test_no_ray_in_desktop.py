"""Ray stays out of the desktop app, the CLI without --cluster, and the frozen build."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CHILD = """
import json, sys
import gui.app, gui.entry, gui.main_window, engine.cli, engine.cli_run
from engine import cli
cli.build_parser().parse_args(["a.wav", "--cluster", "ray=10.0.0.5:6379"])
status = cli.main(sys.argv[1:])
print("RAY " + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "ray")))
"""


def test_the_gui_and_the_cli_without_cluster_never_import_ray(
    model_dir: Path, speech_wav: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    args = [str(speech_wav), "--out", str(tmp_path), "--models", str(model_dir)]
    args += ["--workers", "1", "--threads", "1", "--format", "txt"]

    run = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    assert (tmp_path / "speech.txt").is_file()  # a real local run happened
    line = next(s for s in run.stdout.splitlines() if s.startswith("RAY "))
    assert json.loads(line.removeprefix("RAY ")) == []


def test_the_frozen_build_excludes_ray() -> None:
    tree = ast.parse((ROOT / "packaging" / "funscribe.spec").read_text())
    excludes = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "excludes" for t in node.targets)
    )
    assert "ray" in ast.literal_eval(excludes)
