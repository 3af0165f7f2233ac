"""Chaos: 200 short jobs on 3 fake workers while a seeded driver SIGKILLs workers, cancels jobs
and reconfigures the pool. Which job ends how varies with timing; the invariants never do."""

from __future__ import annotations

import os
import random
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pool_helpers import fake_config
from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from engine.pool import procs
from engine.pool.config import PoolConfig
from engine.pool.handle import WorkerHandle
from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool

SEED = 20261203
JOBS = 200
WORKERS = 3
ACTIONS = 120  # driver ticks; the queue outlasts them, so the last jobs run undisturbed
TICK_MS = 40
# Each job step's length: 200 jobs on 3 workers must outlast the driver's 120 ticks (4.8 s),
# or the queue drains first and cancels find nothing open (seen: 5 cancels in 120 ticks).
STEP_MS = 40


def chaos_config(pidlog: Path, workers: int = WORKERS, steps: int = 2) -> PoolConfig:
    # Workers are killed on purpose here, so a slot must never give up on them.
    return fake_config(
        "--steps",
        str(steps),
        "--step-ms",
        str(STEP_MS),
        "--pidlog",
        str(pidlog),
        workers=workers,
        max_early_deaths=1_000_000,
        respawn_delay_ms=5,
    )


@pytest.fixture
def stop_orders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Marks each handle told to stop (by any path) and records every job handed to one."""
    violations: list[str] = []

    def marking(name: str) -> None:
        original = getattr(WorkerHandle, name)

        def wrapper(self: WorkerHandle, *args: Any) -> Any:
            self.__dict__["told_to_stop"] = True
            return original(self, *args)

        monkeypatch.setattr(WorkerHandle, name, wrapper)

    for name in ("shutdown", "terminate", "kill", "_force_cancel", "_fail"):
        marking(name)
    run = WorkerHandle.run

    def checked_run(self: WorkerHandle, command: Any) -> None:
        if self.__dict__.get("told_to_stop"):
            violations.append(f"{command.job} handed to worker {self.pid} after it was stopped")
        run(self, command)

    monkeypatch.setattr(WorkerHandle, "run", checked_run)
    yield violations


def test_chaos_every_job_ends_once_and_no_worker_or_handle_leaks(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path, stop_orders: list[str]
) -> None:
    rng = random.Random(SEED)
    pidlog = tmp_path / "pids"
    pool = make_pool(chaos_config(pidlog))
    ends: Counter[str] = Counter()
    last: dict[str, JobState] = {}

    def changed(job_id: str) -> None:
        state = pool.job(job_id).state
        if state.finished and not last.get(job_id, JobState.QUEUED).finished:
            ends[job_id] += 1
        last[job_id] = state

    pool.jobChanged.connect(changed)
    ids = [pool.submit(f"/m/{n:03d}.wav") for n in range(JOBS)]
    actions: Counter[str] = Counter()
    ticks = [0]
    killed: set[int] = set()

    def act() -> None:
        roll = rng.random()
        pids = pool.worker_pids()
        open_jobs = [i for i in ids if not pool.job(i).state.finished]
        if roll < 0.4 and pids:
            actions["kill"] += 1
            victim = rng.choice(sorted(pids))
            killed.add(victim)
            os.kill(victim, signal.SIGKILL)
        elif roll < 0.75 and open_jobs:
            actions["cancel"] += 1
            pool.cancel(rng.choice(open_jobs))
        elif roll < 0.9:
            actions["reconfigure"] += 1
            workers, steps = rng.choice([2, 3, 4]), rng.choice([1, 2, 3])
            pool.reconfigure(chaos_config(pidlog, workers, steps))
        ticks[0] += 1
        if ticks[0] >= ACTIONS:
            driver.stop()

    driver = QTimer()
    driver.timeout.connect(act)
    driver.start(TICK_MS)
    qtbot.waitUntil(lambda: not driver.isActive(), timeout=120_000)
    pool.reconfigure(chaos_config(pidlog, WORKERS, 2))
    qtbot.waitUntil(lambda: all(pool.job(i).state.finished for i in ids), timeout=120_000)

    # The chaos really happened (how much depends on how fast a loaded machine drains the
    # queue: cancels need open jobs, kills need live workers).
    assert actions["kill"] > 5 and actions["cancel"] > 5 and actions["reconfigure"] > 3, actions
    assert stop_orders == []
    assert sorted(ends.values()) == [1] * JOBS, "a job ended more than once, or never"
    for job_id in ids:
        job = pool.job(job_id)
        assert job.state in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)
        if job.state is JobState.FAILED:
            assert job.error_code is not None and job.error_message
    assert pool.broken_reasons() == []
    qtbot.waitUntil(lambda: pool.worker_count == WORKERS and pool.ready_count == WORKERS)

    def handles() -> int:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return len(pool.findChildren(WorkerHandle))

    qtbot.waitUntil(lambda: handles() == WORKERS, timeout=10_000)

    pool.shutdown()
    # Every worker that ran: those that logged their start, and those killed before they could.
    every = {int(p) for p in pidlog.read_text().split()} | killed
    assert len(killed) > 10
    qtbot.waitUntil(lambda: not any(procs.alive(pid) for pid in every), timeout=10_000)
    assert not set(procs.children(os.getpid())) & every  # none left, not even a zombie
    qtbot.waitUntil(lambda: handles() == 0, timeout=10_000)
