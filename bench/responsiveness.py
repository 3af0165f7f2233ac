"""Responsiveness: how late a 10 ms timer fires in the real app while 2 workers transcribe.

The child process is the real app (`gui.app.main`, offscreen, private settings and data),
given the files on its command line and `--quit-when-idle`, with the pool set to 2 workers x
1 thread on the full-size models. A precise 10 ms QTimer notes each tick; lateness is the
gap between ticks minus 10 ms. Reported separately for the time the workers load their
models and the time both transcribe (progress and segments streaming into the window).
Window-shown time comes from bench/window_start.py (spawn to first paint, median of runs).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, child_env, table

TICK_MS = 10
GOALS = {"p99_ms": 30.0, "window_s": 1.5}


def run(models: Path, files: list[Path], window_runs: int = 5) -> dict[str, Any]:
    """The app on `files` with the stall probe, then the window-shown timing."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        env = _app_env(tmp, FUNSCRIBE_MODELS=str(models))
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.responsiveness",
                "--child",
                "--models",
                str(models),
                *map(str, files),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"app run failed ({out.returncode}):\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["window"] = window_shown(window_runs)
    return result


def window_shown(runs: int) -> dict[str, Any]:
    """Spawn-to-first-paint times from bench/window_start.py (one warm-up run first)."""
    from statistics import median

    from bench import window_start

    with tempfile.TemporaryDirectory() as tmp:
        env = _app_env(tmp)
        window_start.one_run(env)
        times = [window_start.one_run(env) for _ in range(runs)]
    return {"runs": [round(t, 3) for t in times], "median_s": median(times), "max_s": max(times)}


def markdown(result: dict[str, Any]) -> str:
    """Lateness per phase and window-shown time, against their goals."""
    rows = []
    for phase in ("loading", "transcribing"):
        p = result["phases"].get(phase)
        if p:
            rows.append([phase, p["seconds"], p["ticks"], p["p50_ms"], p["p99_ms"], p["max_ms"]])
    w = result["window"]
    p99 = result["phases"]["transcribing"]["p99_ms"]
    lines = [
        table(["phase", "s", "ticks", "p50 late ms", "p99 late ms", "max late ms"], rows),
        "",
        f"While 2 workers transcribe: p99 lateness {p99:.1f} ms (goal < {GOALS['p99_ms']:.0f} ms:"
        f" {_goal(p99, GOALS['p99_ms'])}); {result['events']} progress/segment updates reached"
        f" the window.",
        f"Window shown from process start: median {w['median_s']:.3f} s, max {w['max_s']:.3f} s"
        f" (goal < {GOALS['window_s']} s: {_goal(w['median_s'], GOALS['window_s'])}).",
    ]
    return "\n".join(lines)


def _app_env(home: str, **extra: str) -> dict[str, str]:
    """The app offscreen with its settings and data in a throwaway `home`."""
    return child_env(
        QT_QPA_PLATFORM="offscreen",
        HOME=home,
        XDG_CONFIG_HOME=home,
        FUNSCRIBE_DATA_DIR=str(Path(home) / "data"),
        **extra,
    )


def _goal(value: float, limit: float) -> str:
    return "met" if value < limit else f"MISSED by {value - limit:.3g}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _phase(ticks: list[tuple[float, float]], start: float | None, end: float | None) -> Any:
    if start is None or end is None:
        return None
    late = [ms for at, ms in ticks if start <= at <= end]
    return {
        "seconds": round(end - start, 2),
        "ticks": len(late),
        "p50_ms": round(_percentile(late, 0.50), 2),
        "p99_ms": round(_percentile(late, 0.99), 2),
        "max_ms": round(max(late, default=0.0), 2),
    }


def child(models: str, files: list[str]) -> int:
    """Run the app with a probe; print the phases' lateness as one JSON line."""
    from PySide6.QtCore import Qt, QTimer

    import gui.app as app

    marks: dict[str, float] = {}
    ticks: list[tuple[float, float]] = []
    events = [0]
    make_config, make_window = app.pool_config, app.create_window

    def pool_config(settings: Any) -> Any:
        config = make_config(settings)
        config.models_dir, config.model_args = models, []
        config.workers, config.threads = 2, 1
        return config

    def create_window(*args: Any, **kwargs: Any) -> Any:
        window = make_window(*args, **kwargs)
        pool = window.pool
        timer = QTimer(window)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            ticks.append((now, (now - last[0]) * 1000 - TICK_MS))
            last[0] = now

        def changed(_job: str) -> None:
            running = sum(1 for j in pool.jobs() if j.state.value == "running")
            if running == 2 and "both_running" not in marks:
                marks["both_running"] = time.perf_counter()
            events[0] += 1

        timer.timeout.connect(tick)
        pool.jobChanged.connect(changed)
        pool.segmentReceived.connect(lambda *_: events.__setitem__(0, events[0] + 1))
        pool.idle.connect(lambda: marks.setdefault("idle", time.perf_counter()))
        marks["window"] = time.perf_counter()
        timer.start(TICK_MS)
        return window

    app.pool_config = pool_config
    app.start_workers = lambda window, settings: window.pool.start()
    app.create_window = create_window
    status = app.main(["funscribe", *files, "--quit-when-idle"])
    phases = {
        "loading": _phase(ticks, marks.get("window"), marks.get("both_running")),
        "transcribing": _phase(ticks, marks.get("both_running"), marks.get("idle")),
    }
    sys.stdout.write(json.dumps({"phases": phases, "events": events[0], "status": status}) + "\n")
    sys.stdout.flush()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    """`--child`: the app process (what `run` starts)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--models", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    return child(args.models, args.files)


if __name__ == "__main__":
    sys.exit(main())
