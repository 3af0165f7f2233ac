"""The real app in a real X server: two committed clips transcribed, then a screenshot.

    xvfb-run -a python -m tests.gui.real_window MODELS_DIR OUT_DIR

Runs `funscribe` with Qt's xcb platform (not offscreen) over the tiny models, with
`--quit-when-idle`, in a private data folder, and checks what a user would: the app exits 0,
both transcripts are in the session folder, and the screenshot was written. Used by `.ci/run`
(`make real-window`); the PNG is left in OUT_DIR for a person to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIPS = (ROOT / "tests/data/speech.wav", ROOT / "tests/data/speech.mp4")
TIMEOUT_S = 300


def run_app(models: Path, data: Path, screenshot: Path) -> subprocess.CompletedProcess[str]:
    """The installed `funscribe` over `models`, on xcb, until its queue is done."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "FUNSCRIBE_DATA_DIR": str(data),
        "FUNSCRIBE_MODELS": str(models),
        "XDG_CONFIG_HOME": str(data / "config"),  # private settings: workers, language
    }
    command = [
        str(Path(sys.executable).with_name("funscribe")),
        *map(str, CLIPS),
        "--quit-when-idle",
        "--screenshot",
        str(screenshot),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)


def saved_transcripts(data: Path) -> dict[str, int]:
    """Source file name -> sentence count, for every finished job of the saved session."""
    session = json.loads((data / "session.json").read_text(encoding="utf-8"))
    found = {}
    for job in session["jobs"]:
        path = data / "transcripts" / f"{job['id']}.json"
        if job["state"] == "done" and path.is_file():
            transcript = json.loads(path.read_text(encoding="utf-8"))
            found[Path(job["path"]).name] = len(transcript["sentences"])
    return found


def main(models: str, out: str) -> int:
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    screenshot = out_dir / "real-window.png"
    screenshot.unlink(missing_ok=True)
    data = Path(tempfile.mkdtemp(prefix="funscribe-real-window-"))
    if not os.environ.get("DISPLAY"):
        print("FAIL: no DISPLAY; run under xvfb-run", file=sys.stderr)
        return 2
    app = run_app(Path(models).resolve(), data, screenshot)
    print(app.stderr.strip()[-2000:])
    transcripts = saved_transcripts(data) if (data / "session.json").is_file() else {}
    checks = {
        "app exited 0": app.returncode == 0,
        "both transcripts saved": sorted(transcripts) == sorted(c.name for c in CLIPS),
        "screenshot written": screenshot.is_file() and screenshot.stat().st_size > 0,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'} {name}")
    print(f"transcripts: {transcripts}; screenshot: {screenshot}; data: {data}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
