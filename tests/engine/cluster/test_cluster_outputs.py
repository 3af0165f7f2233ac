"""`--cluster ray` writes what the local CLI writes, byte for byte, for the same files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import cli
from engine.speakers.embeddings import SIDECAR_SUFFIX

ROOT = Path(__file__).resolve().parents[3]
ARGS = ["--format", "srt,vtt,txt,json", "--speakers", "2", "--threads", "1"]


def local_cli(media: Path, out: Path, model_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "gui.entry", "transcribe", str(media), "--out", str(out)]
    command += ["--models", str(model_dir), "--workers", "2", *ARGS]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)


def test_eight_files_on_ray_match_the_local_cli_byte_for_byte(
    ray_cluster: None, eight_files: Path, model_dir: Path, tmp_path: Path
) -> None:
    local = local_cli(eight_files, tmp_path / "local", model_dir)
    assert local.returncode == cli.EXIT_OK, local.stderr[-3000:]
    summary = tmp_path / "summary.json"
    cluster = ["--cluster", "ray", "--summary-json", str(summary)]
    out = ["--out", str(tmp_path / "ray"), "--models", str(model_dir)]
    status = cli.main([str(eight_files), *out, *ARGS, *cluster])

    assert status == cli.EXIT_OK
    local_files = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert sorted(p.name for p in (tmp_path / "ray").iterdir()) == local_files
    assert {"talk.json", "Talk-2.json", "talk-3.json"} <= set(local_files)  # the collision rule
    assert len([n for n in local_files if n.endswith(".json")]) == 8
    for name in local_files:
        ours, theirs = tmp_path / "ray" / name, tmp_path / "local" / name
        if name.endswith(SIDECAR_SUFFIX):  # a zip: its entries carry the time of writing
            with np.load(ours) as a, np.load(theirs) as b:
                assert sorted(a.files) == sorted(b.files)
                for key in a.files:
                    np.testing.assert_array_equal(a[key], b[key])
        else:
            assert ours.read_bytes() == theirs.read_bytes(), name
    report = json.loads(summary.read_text())
    assert report["done"] == 8 and report["failed"] == 0 and report["retried"] == 0
    assert sorted(f["path"] for f in report["files"]) == sorted(
        str(p) for p in cli.expand_inputs([str(eight_files)])
    )


@pytest.mark.parametrize("value", ["ray", "ray=auto", "ray=10.0.0.5:6379"])
def test_the_cluster_option_parses_without_importing_ray(value: str) -> None:
    args = cli.build_parser().parse_args(["a.wav", "--cluster", value])
    assert args.cluster.address == (None if value == "ray" else value.split("=", 1)[1])


@pytest.mark.parametrize("value", ["slurm", "ray="])
def test_a_bad_cluster_value_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["a.wav", "--cluster", value]) == cli.EXIT_USAGE
    assert "--cluster" in capsys.readouterr().err
