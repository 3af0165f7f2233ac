"""Cancel latency and cold start of a worker, with the full-size models.

Cold start: spawn to `hello` of fresh workers, split into start-up (Python, torch and funasr
imports) and model loading (`hello.load_seconds`), with mapped weights (the default) and
with FunASR's loader. Cancel: one warm worker runs a long file; a `cancel` is sent at points
in each stage, and the latency is the time from writing `cancel` to reading the job's end
(its `error`; or its `result` where no cancel point was left: the wait is as real).
A cancel is honoured between sub-model calls, so it waits for the call in progress.
"""

from __future__ import annotations

import time
from pathlib import Path
from statistics import median
from typing import Any

from bench.common import table
from bench.worker_client import Worker
from engine.protocol import (
    Cancel,
    Error,
    ErrorCode,
    JobOptions,
    Progress,
    Result,
    Stage,
    Transcribe,
)

# (label, stage to wait for, seconds to wait after first seeing it)
CANCEL_POINTS = (
    ("during VAD", Stage.VAD, 0.0),
    ("early in ASR", Stage.ASR, 0.5),
    ("late in ASR", Stage.ASR, 4.0),
    ("during punctuation", Stage.PUNC, 0.0),
    ("during speaker clustering", Stage.SPEAKERS, 0.0),
)


def cold_starts(models: Path, runs: int) -> list[dict[str, Any]]:
    """Spawn-to-hello of `runs` fresh workers per loading mode, one at a time."""
    out = []
    for mode, flag in (("mapped", "1"), ("funasr", "0")):
        for _ in range(runs):
            worker = Worker(models, FUNSCRIBE_FAST_LOAD=flag)
            try:
                seconds, hello = worker.wait_hello()
            finally:
                worker.close()
            out.append(
                {"mode": mode, "spawn_to_hello_s": round(seconds, 3), "load_s": hello.load_seconds}
            )
    return out


def cancel_latencies(models: Path, long_file: Path) -> list[dict[str, Any]]:
    """One cancel per point on a warm worker; latency in ms and the stage it landed in."""
    worker = Worker(models)
    results = []
    try:
        worker.wait_hello()
        for i, (label, stage, delay) in enumerate(CANCEL_POINTS):
            job = f"c{i}"
            worker.send(Transcribe(job=job, path=str(long_file), options=JobOptions()))
            seen_at = _wait_for_stage(worker, job, stage)
            if seen_at is None:
                results.append({"point": label, "latency_ms": None, "cancelled": False})
                continue
            time.sleep(max(0.0, delay - (time.perf_counter() - seen_at)))
            sent = worker.send(Cancel(job=job))
            arrived, end = worker.until_end(job)
            cancelled = isinstance(end, Error) and end.code is ErrorCode.CANCELLED
            # Not cancelled: the job ran to its result first; the wait is just as real.
            latency = round((arrived - sent) * 1000, 1)
            results.append({"point": label, "latency_ms": latency, "cancelled": cancelled})
    finally:
        worker.close()
    return results


def _wait_for_stage(worker: Worker, job: str, stage: Stage) -> float | None:
    """When `job` first reported `stage`; None if it ended before that."""
    while True:
        at, event = worker.next_event()
        if getattr(event, "job", None) != job:
            continue
        if isinstance(event, Progress) and event.stage is stage:
            return at
        if isinstance(event, Result | Error):
            return None


def run(models: Path, long_file: Path, cold_runs: int = 2) -> dict[str, Any]:
    """Cold starts, then cancel latencies."""
    cold = cold_starts(models, cold_runs)
    cancels = cancel_latencies(models, long_file)
    return {"cold_start": cold, "cancel": cancels}


def markdown(result: dict[str, Any], extra_cold: list[dict[str, Any]] | None = None) -> str:
    """Cancel latency per point; cold start per loading mode (median of the runs)."""
    rows = [
        [c["point"], c["latency_ms"], "yes" if c["cancelled"] else "no: the job finished"]
        for c in result["cancel"]
    ]
    out = [table(["cancel sent", "ms until the job ended", "cancelled"], rows), ""]
    cold = result["cold_start"] + (extra_cold or [])
    rows = []
    for mode in ("mapped", "funasr"):
        runs = [c for c in cold if c["mode"] == mode]
        if runs:
            total = median(c["spawn_to_hello_s"] for c in runs)
            load = median(c["load_s"] for c in runs)
            rows.append([mode, len(runs), total, total - load, load])
    out.append(table(["loading", "runs", "spawn to hello s", "start-up s", "model load s"], rows))
    return "\n".join(out)
