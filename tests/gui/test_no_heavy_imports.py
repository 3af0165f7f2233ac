"""The GUI process never imports torch or funasr, even after transcribing a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.session_store import DATA_DIR_ENV
from gui.settings import MODELS_ENV, Key

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

# Run the real app until its queue is done, then report what it had imported.
CHILD = """
import json, sys
from gui.app import main
status = main(["funscribe", "--quit-when-idle", *sys.argv[1:]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "funasr"))
print("HEAVY " + json.dumps(heavy), flush=True)
sys.exit(status)
"""


def test_a_full_run_of_the_app_never_imports_torch_or_funasr(
    model_dir, speech_wav, tmp_path, private_settings, data_folder
):
    private_settings.set_value(Key.WORKERS, 1)
    private_settings.set_value(Key.THREADS, 1)
    private_settings.sync()
    env = dict(os.environ)
    env.update(
        {
            MODELS_ENV: str(model_dir),
            DATA_DIR_ENV: str(data_folder),
            "XDG_CONFIG_HOME": str(tmp_path / "settings"),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )

    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(speech_wav)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    heavy = next(line for line in run.stdout.splitlines() if line.startswith("HEAVY "))
    assert json.loads(heavy.removeprefix("HEAVY ")) == []
    saved = json.loads((data_folder / "session.json").read_text(encoding="utf-8"))
    assert [job["state"] for job in saved["jobs"]] == ["done"]
