"""Child process: run files through our WorkerPool on warm workers and time every job.

    python -m bench.pool_run --models DIR --pool NAME WORKERS THREADS [--pool ...]
        [--split NAME ...] [--batch NAME FIRST END ...] [--warmup WAV] FILE...

Several pools can be warm at once (idle workers cost no CPU), so that batches on two set-ups
can alternate, e.g. a on the first half, c on all, a on the second half. Prints one JSON line:
per pool, the wall seconds of its batches (first submit to last end), each job's wall, stage
times and worker, the CPU seconds its workers used meanwhile, and its busy worker-seconds
(workers holding a command, sampled every tick: with files split into batches a job's wall
no longer says how long a worker was busy). A pool named by --split runs files as batches
with a checkpoint folder, as the app does.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from bench.common import cpu_seconds, emit
from engine.pool.jobs import JobState
from engine.pool.pool import PoolConfig, WorkerPool

READY_TIMEOUT_S = 180


TICK_MS = 20


def wait_until(
    loop: QEventLoop, done: Any, timeout_s: float, each_tick: Any | None = None
) -> None:
    """Spin the Qt loop until done() or the timeout (then raise); each_tick(seconds) after
    every spin of the loop."""
    deadline = time.monotonic() + timeout_s
    last = time.monotonic()
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the pool did not get there in time")
        QTimer.singleShot(TICK_MS, loop.quit)
        loop.exec()
        if each_tick is not None:
            now = time.monotonic()
            each_tick(now - last)
            last = now


def run_batch(pool: WorkerPool, loop: QEventLoop, files: list[str]) -> dict[str, Any]:
    """Submit `files`, wait until every job ended; per-job timings and stage stamps."""
    stamps: dict[str, list[tuple[str, float]]] = {}

    def changed(job_id: str) -> None:
        job = pool.job(job_id)
        seen = stamps.setdefault(job_id, [])
        if job.stage is not None and (not seen or seen[-1][0] != job.stage.value):
            seen.append((job.stage.value, time.time()))

    busy = [0.0]
    changes: list[tuple[float, int]] = []  # (seconds since the first submit, busy workers)

    def tick(seconds: float) -> None:
        count = pool.busy_count
        busy[0] += count * seconds  # the count seen after the tick: a 20 ms grain
        if not changes or changes[-1][1] != count:
            changes.append((round(time.time() - started, 3), count))

    pool.jobChanged.connect(changed)
    started = time.time()
    with pool.adding():
        ids = [pool.submit(path) for path in files]
    wait_until(loop, lambda: all(pool.job(i).state.finished for i in ids), 3600, tick)
    wall = time.time() - started
    pool.jobChanged.disconnect(changed)
    jobs = []
    for job_id in ids:
        job = pool.job(job_id)
        if job.state is not JobState.DONE:
            raise RuntimeError(f"{job.path}: {job.state.value} {job.error_message}")
        end = job.finished_at or 0.0
        marks = stamps.get(job_id, [])
        stages = {
            stage: round((marks[i + 1][1] if i + 1 < len(marks) else end) - at, 3)
            for i, (stage, at) in enumerate(marks)
        }
        jobs.append(
            {
                "path": job.path,
                "audio_seconds": job.audio_seconds or 0.0,
                "start": round((job.started_at or 0) - started, 3),
                "wall": round(end - (job.started_at or 0), 3),
                "worker": job.worker_pid,
                "stages": stages,
            }
        )
    return {"wall": wall, "jobs": jobs, "busy_worker_seconds": busy[0], "busy_changes": changes}


def main(argv: list[str] | None = None) -> int:
    """Start the pools, warm each worker with one short job, then run the batches in order."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", required=True)
    parser.add_argument(
        "--pool", nargs=3, action="append", required=True, metavar=("NAME", "WORKERS", "THREADS")
    )
    parser.add_argument("--split", action="append", default=[], metavar="NAME")
    parser.add_argument(
        "--batch",
        nargs=3,
        action="append",
        metavar=("POOL", "FIRST", "END"),
        help="files[FIRST:END] on POOL (default: every file on each pool)",
    )
    parser.add_argument("--warmup")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    app = QCoreApplication([])  # noqa: F841 - the pools' QProcesses need it
    loop = QEventLoop()
    pools: dict[str, WorkerPool] = {}
    out: dict[str, dict[str, Any]] = {}
    checkpoints = tempfile.TemporaryDirectory(prefix="funscribe-bench-")
    for name, workers, threads in args.pool:
        config = PoolConfig(
            models_dir=args.models,
            workers=int(workers),
            threads=int(threads),
            # (d) measures what oversubscription costs when nothing mitigates it.
            passive_when_oversubscribed=name != "d",
        )
        folder = f"{checkpoints.name}/{name}" if name in args.split else None
        pools[name] = WorkerPool(config, checkpoints=folder)
        out[name] = {
            "workers": int(workers),
            "threads": int(threads),
            "split": folder is not None,
            "wall": 0.0,
            "jobs": [],
            "worker_cpu_seconds": 0.0,
            "host_cpu_seconds": 0.0,  # this process: the pool, its Qt loop, the sampling
            "busy_worker_seconds": 0.0,
        }
        spawned = time.time()
        pools[name].start()
        wait_until(loop, lambda p=pools[name], n=int(workers): p.ready_count == n, READY_TIMEOUT_S)
        out[name]["ready_seconds"] = time.time() - spawned
        if args.warmup:
            run_batch(pools[name], loop, [args.warmup] * int(workers))
    batches = args.batch or [[name, "0", str(len(args.files))] for name in pools]
    for name, first, end in batches:
        pool = pools[name]
        pids = pool.worker_pids()
        cpu_before = {pid: cpu_seconds(pid) for pid in pids}
        host_before = time.process_time()
        batch = run_batch(pool, loop, args.files[int(first) : int(end)])
        out[name]["worker_cpu_seconds"] += sum(cpu_seconds(p) - cpu_before[p] for p in pids)
        out[name]["host_cpu_seconds"] += time.process_time() - host_before
        out[name]["wall"] += batch["wall"]
        out[name].setdefault("walls", []).append(batch["wall"])
        out[name]["jobs"] += batch["jobs"]
        out[name].setdefault("busy_changes", []).append(batch["busy_changes"])
        out[name]["busy_worker_seconds"] += batch["busy_worker_seconds"]
    for pool in pools.values():
        pool.shutdown()
    checkpoints.cleanup()
    emit(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
