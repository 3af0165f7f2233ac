"""Editor responsiveness on a long transcript: 3,000 two-speaker sentences with tokens.

    python -m bench.editor [--sentences 3000] [--scale 1.0]

The child process is the real window (offscreen, private settings and data) over a restored
session holding one generated transcript. It opens the transcript, scrolls through it,
simulates playback across 200 sentence changes, makes 100 text edits and types a search,
one operation per event-loop turn. A precise 10 ms QTimer notes each tick: lateness is the
gap between ticks minus 10 ms, so work done after an operation returns (deferred
re-layout, saving) counts too. Each operation's own time includes the events it leaves
pending and a synchronous repaint of the table. `--scale` shrinks the operation counts (the
window before the editor work took seconds per operation).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import load_average, run_child, table

TICK_MS = 10
GAP_MS = 15  # between operations: the probe ticks in between
IDLE_MS = 1500  # the probe alone before the first operation: the machine's own noise
COUNTS = {"scroll": 100, "playback": 200, "edits": 100, "search": 12}
GOALS = {"p99_ms": 16.0, "max_ms": 100.0, "open_ms": 300.0}
# The window before the editor work (61b9a72^), measured with this module at --scale 0.05
# (its operations took seconds each); `make bench` shows it beside every new run.
BASELINE = Path(__file__).with_name("results") / "editor-before.json"
_WORDS = (
    "the",
    "budget",
    "numbers",
    "look",
    "better",
    "than",
    "last",
    "year",
    "and",
    "we",
    "should",
    "start",
    "with",
    "travel",
    "plans",
    "for",
    "next",
    "quarter",
    "because",
    "our",
    "team",
    "has",
    "grown",
    "quickly",
    "since",
    "spring",
    "meeting",
    "notes",
)


def run(sentences: int = 3000, scale: float = 1.0) -> dict[str, Any]:
    """The window over a generated transcript of `sentences`, driven through the editor."""
    with tempfile.TemporaryDirectory() as home:
        args = ["--child", "--sentences", str(sentences), "--scale", str(scale)]
        return run_child(
            "bench.editor",
            args,
            timeout=3600,
            QT_QPA_PLATFORM="offscreen",
            HOME=home,
            XDG_CONFIG_HOME=home,
            FUNSCRIBE_DATA_DIR=str(Path(home) / "data"),
        )


def markdown(result: dict[str, Any], before: dict[str, Any] | None = None) -> str:
    """Per-phase operation times and timer lateness; `before` adds a column pair."""
    headers = ["phase", "ops", "op p50 ms", "op max ms", "op CPU max ms"]
    headers += ["late p99 ms", "late max ms"]
    rows = []
    for name, p in result["phases"].items():
        row = [name, p["ops"], p["op_p50_ms"], p["op_max_ms"], p.get("cpu_max_ms")]
        row += [p["late_p99_ms"], p["late_max_ms"]]
        if before is not None:
            old = before["phases"].get(name, {})
            row += [old.get("ops"), old.get("op_max_ms"), old.get("late_max_ms")]
        rows.append(row)
    if before is not None:
        headers += ["before: ops", "before: op max ms", "before: late max ms"]
    o, idle = result["overall"], result["phases"]["idle"]
    ok = o["late_p99_ms"] < GOALS["p99_ms"] and o["late_max_ms"] < GOALS["max_ms"]
    opened = result["phases"]["open"]["op_max_ms"]
    lines = [
        table(headers, rows),
        "",
        f"{result['sentences']} sentences. Through playback, edits and search: lateness p99"
        f" {o['late_p99_ms']:.1f} ms, max {o['late_max_ms']:.1f} ms (goal p99 <"
        f" {GOALS['p99_ms']:.0f} ms, max < {GOALS['max_ms']:.0f} ms: {_met(ok)}). Opening:"
        f" {opened:.0f} ms (goal < {GOALS['open_ms']:.0f} ms: {_met(opened < GOALS['open_ms'])}).",
        f"The GUI thread's own CPU time per operation there: p99 {o['cpu_p99_ms']:.1f} ms, max"
        f" {o['cpu_max_ms']:.1f} ms.",
        f"The idle window's own lateness on this machine: p99 {idle['late_p99_ms']:.1f} ms, max"
        f" {idle['late_max_ms']:.1f} ms (load average {result.get('load', 0):.1f}).",
    ]
    if before is not None:
        b = before["overall"]
        lines.append(
            f"Before the editor work ({before['sentences']} sentences, operation counts x"
            f" {before.get('scale', 1.0)}): lateness p99 {b['late_p99_ms']:.0f} ms, max"
            f" {b['late_max_ms']:.0f} ms; opening {before['phases']['open']['op_max_ms']:.0f} ms."
        )
    return "\n".join(lines)


def baseline() -> dict[str, Any] | None:
    """The committed measurement of the window before the editor work, if present."""
    if not BASELINE.is_file():
        return None
    return dict(json.loads(BASELINE.read_text(encoding="utf-8")))


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _p99(values: list[float]) -> float:
    if len(values) < 2:
        return max(values, default=0.0)
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def generated(n: int, path: str) -> dict[str, Any]:
    """A worker-shaped result: `n` sentences, two speakers taking turns, a token per word."""
    rng = random.Random(15)
    sentences, ms = [], 0
    for i in range(n):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 40))]
        tokens, t = [], ms
        for w in words:
            tokens.append({"text": w, "start": t, "end": t + 250})
            t += 300
        text = " ".join(words).capitalize() + "."
        speaker = (i // rng.randint(1, 4)) % 2
        sentences.append(
            {"start": ms, "end": t, "text": text, "speaker": speaker, "tokens": tokens}
        )
        ms = t + 200
    return {
        "version": 1,
        "source": {"path": path, "duration_ms": ms},
        "models": {"asr": "bench"},
        "sentences": sentences,
    }


def child(n: int, scale: float) -> int:
    """Run the window, drive it, print the phases as one JSON line."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from engine.pool.jobs import Job, JobState
    from engine.transcript import Transcript
    from gui.app import create_window
    from gui.session_store import SessionStore, data_dir
    from gui.settings import Settings

    app = QApplication(["bench"])
    folder = data_dir()
    source = folder / "meeting.wav"
    folder.mkdir(parents=True, exist_ok=True)
    source.write_bytes(b"")  # a path that exists; nothing is played
    store = SessionStore(folder)
    store.save_transcript("long", Transcript.from_worker_result(generated(n, str(source))))
    store.save_jobs([Job(id="long", path=str(source), state=JobState.DONE, percent=100.0)])

    window: Any = create_window(Settings(), folder)
    window.resize(1100, 760)
    window.show()
    app.processEvents()
    view = window.transcript

    ticks: list[tuple[float, float]] = []
    ops: list[tuple[str, float, float, float]] = []  # phase, started, wall ms, CPU ms
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        ticks.append((now, (now - last[0]) * 1000 - TICK_MS))
        last[0] = now

    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.timeout.connect(tick)

    def settle() -> None:
        app.processEvents()  # what the operation left pending, the repaint included

    count = {k: max(2, int(v * scale)) for k, v in COUNTS.items()}
    rows = n
    rng = random.Random(3)
    steps: list[tuple[str, Any]] = [("open", lambda: window.queue.select_job("long"))]
    bar = view.table.verticalScrollBar()
    for i in range(count["scroll"]):
        steps.append(
            ("scroll", lambda i=i: bar.setValue(bar.maximum() * (i + 1) // count["scroll"]))
        )
    steps.append(("scroll", lambda: bar.setValue(0)))
    start_row = rows // 3
    for i in range(count["playback"]):
        row = start_row + i

        def play(row: int = row) -> None:
            ms = int(view.model.index(row, 0).data(Qt.ItemDataRole.UserRole + 1))
            view._position(ms + 1)

        steps.append(("playback", play))
    for i in range(count["edits"]):
        row = start_row + rng.randint(0, count["playback"])

        def edit(row: int = row, i: int = i) -> None:
            index = view.model.index(row, 2)
            view.model.setData(index, f"{index.data()} (edit {i})")

        steps.append(("edits", edit))
    query = "meeting notes spring"
    for i in range(1, min(count["search"], len(query)) + 1):
        steps.append(("search", lambda i=i: view.search.setText(query[:i])))
    steps.append(("search", lambda: view.search.setText("")))

    def run_step(k: int) -> None:
        if k == len(steps):
            QTimer.singleShot(1500, app.quit)  # debounced saves land inside the probe
            return
        phase, op = steps[k]
        started, cpu = time.perf_counter(), time.thread_time()
        op()
        settle()
        wall_ms = (time.perf_counter() - started) * 1000
        ops.append((phase, started, wall_ms, (time.thread_time() - cpu) * 1000))
        QTimer.singleShot(GAP_MS, lambda: run_step(k + 1))

    probe.start(TICK_MS)
    started = time.perf_counter()
    QTimer.singleShot(IDLE_MS, lambda: run_step(0))
    app.exec()
    flush = getattr(window.session, "flush", None)
    if flush is not None:
        flush()
    ended = time.perf_counter()

    # The probe alone first: how late a timer is on this machine with the window idle.
    idle = [ms for at, ms in ticks if started + 0.2 <= at < started + IDLE_MS / 1000]
    phases: dict[str, Any] = {"idle": _summary([], idle)}
    names = list(dict.fromkeys(op[0] for op in ops))
    for j, name in enumerate(names):
        mine = [op for op in ops if op[0] == name]
        first = min(op[1] for op in mine)
        upto = min(op[1] for op in ops if op[0] == names[j + 1]) if j + 1 < len(names) else ended
        late = [ms for at, ms in ticks if first <= at < upto]
        phases[name] = _summary([op[2] for op in mine], late, [op[3] for op in mine])
    watched = [op for op in ops if op[0] in ("playback", "edits", "search")]
    since = min((op[1] for op in watched), default=ended)
    overall = _summary(
        [op[2] for op in watched],
        [ms for at, ms in ticks if at >= since],
        [op[3] for op in watched],
    )
    result = {
        "sentences": n,
        "scale": scale,
        "phases": phases,
        "overall": overall,
        "load": load_average(),
    }
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)


def _summary(times: list[float], late: list[float], cpu: Sequence[float] = ()) -> dict[str, Any]:
    # cpu: the GUI thread's own CPU time per operation, which other processes do not inflate.
    return {
        "ops": len(times),
        "op_p50_ms": round(statistics.median(times), 2) if times else 0.0,
        "op_max_ms": round(max(times, default=0.0), 2),
        "cpu_p99_ms": round(_p99(list(cpu)), 2),
        "cpu_max_ms": round(max(cpu, default=0.0), 2),
        "ticks": len(late),
        "late_p99_ms": round(_p99(late), 2),
        "late_max_ms": round(max(late, default=0.0), 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the table; `--child` is the window process that `run` starts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--sentences", type=int, default=3000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.sentences, args.scale)
    result = run(args.sentences, args.scale)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
