"""FFmpeg's playback threads never take the GIL (under gdb, on real media, offscreen).

A thread that takes the GIL while holding one of Qt's locks deadlocks against a main thread
that holds the GIL and wants that lock: it happened in CI (the run hung until its limit,
with no Python frame a timeout could interrupt). gdb stops at every `PyGILState_Ensure` and
names the thread; only the main thread may appear.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtMultimedia", reason="QtMultimedia (PySide6-Addons) is missing")

PROBE = Path(__file__).with_name("player_thread_probe.py")
ROOT = Path(__file__).resolve().parents[2]
GDB_SCRIPT = """\
set pagination off
set breakpoint pending on
handle SIGPIPE nostop noprint
break PyGILState_Ensure
commands
silent
if $_thread != 1
  printf "GIL taken on thread %d\\n", $_thread
  bt 8
end
continue
end
run
"""


def test_playback_threads_never_take_the_gil(tmp_path: Path) -> None:
    gdb = shutil.which("gdb")
    if gdb is None:
        pytest.skip("gdb is not installed")
    script = tmp_path / "watch.gdb"
    script.write_text(GDB_SCRIPT)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [gdb, "-q", "-batch", "-x", str(script), "--args", sys.executable, str(PROBE)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
        env=env,
    )
    out = run.stdout + run.stderr
    if "ptrace" in out and "probe done" not in out:
        pytest.skip("gdb may not trace processes here")
    assert "probe done" in out, out[-2000:]
    taken = [line for line in out.splitlines() if line.startswith("GIL taken on thread")]
    assert not taken, "\n".join(taken) + "\n" + out[out.find("GIL taken") :][:3000]
