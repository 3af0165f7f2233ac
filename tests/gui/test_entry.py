"""The one `funscribe` command: each first argument reaches its part of the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine import __version__

ROOT = Path(__file__).resolve().parents[2]


def funscribe(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gui.entry", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_version_prints_the_engine_version_without_loading_qt():
    probe = (
        "import sys; from gui.entry import main; main(['--version']); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"funscribe {__version__}"


def test_models_list_names_every_preset():
    done = funscribe("models", "list")
    assert done.returncode == 0, done.stderr
    for preset in ("zh", "en"):
        assert preset in done.stdout


def test_models_verify_reports_a_broken_folder(tmp_path):
    done = funscribe("models", "verify", str(tmp_path))
    assert done.returncode != 0
    assert str(tmp_path) in done.stdout + done.stderr


@pytest.mark.slow
def test_self_test_transcribes_the_bundled_clip(model_dir):
    done = funscribe("--self-test", str(model_dir), timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("self-test OK: ")


def test_self_test_fails_clearly_with_a_missing_model_set(tmp_path):
    done = funscribe("--self-test", str(tmp_path / "nothing"))
    assert done.returncode == 1
    assert done.stdout.startswith("self-test FAILED: model_load_failed")
