"""Real workers killed with SIGKILL mid-job: one retry, then failure; the queue goes on."""

from __future__ import annotations

import os
import signal
from collections import Counter
from pathlib import Path

from engine.pool import procs
from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from engine.protocol import ErrorCode


def test_a_job_whose_worker_is_killed_once_is_retried_and_twice_fails_with_the_exit_code(
    shared_pool: WorkerPool, long_clip: Path, twelve_clips: list[Path], qtbot
) -> None:
    pool = shared_pool
    kills_wanted: dict[str, int] = {}
    killed: Counter[str] = Counter()
    killed_pids: list[int] = []

    def kill_mid_job(job_id: str) -> None:
        job = pool.job(job_id)
        inside = job.state is JobState.RUNNING and job.stage is not None
        # One kill per attempt, while the worker is inside the job.
        due = killed[job_id] < kills_wanted.get(job_id, 0) and job.attempts > killed[job_id]
        if inside and due:
            assert job.worker_pid is not None
            killed[job_id] += 1
            killed_pids.append(job.worker_pid)
            os.kill(job.worker_pid, signal.SIGKILL)

    pool.jobChanged.connect(kill_mid_job)
    try:
        with qtbot.waitSignal(pool.idle, timeout=300_000):
            once = pool.submit(str(long_clip))
            twice = pool.submit(str(long_clip))
            kills_wanted.update({once: 1, twice: 2})
            others = [pool.submit(str(clip)) for clip in twelve_clips[:4]]
    finally:
        pool.jobChanged.disconnect(kill_mid_job)

    assert pool.job(once).state is JobState.DONE
    assert pool.job(once).attempts == 2
    failed = pool.job(twice)
    assert failed.state is JobState.FAILED
    assert failed.error_code is ErrorCode.WORKER_CRASHED
    assert "-9" in failed.error_message and "SIGKILL" in failed.error_message
    assert [pool.job(i).state for i in others] == [JobState.DONE] * 4
    assert killed == {once: 1, twice: 2}
    # Every killed worker is gone, replaced: the pool is back to two live workers.
    assert not any(procs.alive(pid) for pid in killed_pids)
    qtbot.waitUntil(lambda: pool.worker_count == 2, timeout=5000)
    assert not set(killed_pids) & set(pool.worker_pids())
    assert all(procs.alive(pid) for pid in pool.worker_pids())
