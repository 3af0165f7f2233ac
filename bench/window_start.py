"""How long from process start until FunScribe's window is painted (target: under 1.5 s).

    python bench/window_start.py [--runs 5]

Each run starts a fresh Python process with private settings and data folders, imports the
app, and reports the wall time from just before the process was spawned to the window's
first paint. The workers start after that paint, so their model loading is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5

# Runs inside the child: print the wall clock at the window's first paint, then close.
CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
import gui.app as app

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            print(f"PAINTED {time.time():.6f}", flush=True)
            QTimer.singleShot(0, obj.window().close)
        return False

make = app.create_window
def create_window(*args, **kwargs):
    window = make(*args, **kwargs)
    window.installEventFilter(FirstPaint(window))
    return window
app.create_window = create_window
sys.exit(app.main(["funscribe"]))
"""


def one_run(env: dict[str, str]) -> float:
    """Seconds from spawn to first paint of one fresh app process."""
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for line in out.stdout.splitlines():
        if line.startswith("PAINTED "):
            return float(line.split()[1]) - started
    raise RuntimeError(f"the window never painted:\n{out.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    """Measure several runs and print each, the median, and whether it meets the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["HOME"] = env["XDG_CONFIG_HOME"] = tmp  # private QSettings
        env["FUNSCRIBE_DATA_DIR"] = str(Path(tmp) / "data")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        one_run(env)  # warm the OS file cache, as on a second launch
        times = [one_run(env) for _ in range(args.runs)]
    for i, seconds in enumerate(times, 1):
        print(f"run {i}: {seconds:.3f} s")
    median = statistics.median(times)
    verdict = "ok" if median < TARGET_S else "too slow"
    print(f"median: {median:.3f} s (target < {TARGET_S} s: {verdict})")
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
