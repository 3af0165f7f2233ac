"""Cancel on real workers: a running job within a second, a queued one before it starts."""

from __future__ import annotations

import time
from pathlib import Path

from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from engine.protocol import ErrorCode, Stage


def test_cancelling_a_running_job_is_reported_within_one_second(
    shared_pool: WorkerPool, long_clip: Path, qtbot
) -> None:
    pool = shared_pool
    job_id = pool.submit(str(long_clip))
    qtbot.waitUntil(lambda: pool.job(job_id).stage is Stage.ASR, timeout=120_000)
    worker = pool.job(job_id).worker_pid
    started = time.monotonic()
    pool.cancel(job_id)
    qtbot.waitUntil(lambda: pool.job(job_id).state is JobState.CANCELLED, timeout=1000)
    assert time.monotonic() - started < 1.0
    assert pool.job(job_id).error_code is ErrorCode.CANCELLED
    assert worker in pool.worker_pids()  # it answered the cancel; no restart was needed


def test_a_cancelled_queued_job_never_starts(
    shared_pool: WorkerPool, long_clip: Path, twelve_clips: list[Path], qtbot
) -> None:
    pool = shared_pool
    busy = [pool.submit(str(long_clip)) for _ in range(2)]
    queued = pool.submit(str(twelve_clips[0]))
    running = lambda: all(pool.job(i).state is JobState.RUNNING for i in busy)  # noqa: E731
    qtbot.waitUntil(running, timeout=120_000)
    assert pool.job(queued).state is JobState.QUEUED
    pool.cancel(queued)
    assert pool.job(queued).state is JobState.CANCELLED
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        for job_id in busy:
            pool.cancel(job_id)
    job = pool.job(queued)
    assert job.state is JobState.CANCELLED
    assert (job.attempts, job.worker_pid, job.stage) == (0, None, None)
