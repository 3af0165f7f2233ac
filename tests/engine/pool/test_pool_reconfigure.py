"""New settings reach a running pool: workers restart under them without losing a job."""

from __future__ import annotations

from collections.abc import Callable

from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from tests.engine.pool.pool_helpers import fake_config


def live_pids(pool: WorkerPool) -> set[int]:
    return set(pool.worker_pids())


def test_reconfiguring_restarts_idle_workers_at_once_and_busy_ones_after_their_job(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config("--steps", "40", "--step-ms", "25", workers=1))
    qtbot.waitUntil(lambda: pool.ready_count == 1, timeout=20_000)
    first = live_pids(pool)
    running = pool.submit("long.wav")
    qtbot.waitUntil(lambda: pool.job(running).state is JobState.RUNNING, timeout=20_000)

    pool.reconfigure(fake_config("--steps", "2", workers=2))

    # The new second worker starts now; the first finishes its job under the old config.
    qtbot.waitUntil(lambda: pool.ready_count == 2, timeout=20_000)
    assert pool.job(running).state is JobState.RUNNING
    qtbot.waitUntil(lambda: pool.job(running).state is JobState.DONE, timeout=20_000)
    assert pool.job(running).worker_pid in first
    qtbot.waitUntil(lambda: pool.ready_count == 2 and not live_pids(pool) & first, timeout=20_000)

    pool.reconfigure(fake_config("--steps", "2", workers=1))

    qtbot.waitUntil(lambda: pool.worker_count == 1 and pool.ready_count == 1, timeout=20_000)
    after = pool.submit("short.wav")
    qtbot.waitUntil(lambda: pool.job(after).state is JobState.DONE, timeout=20_000)
    assert [j.state for j in pool.jobs()] == [JobState.DONE, JobState.DONE]


def test_reconfiguring_a_pool_that_has_not_started_only_changes_what_it_will_run(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config(workers=1), start=False)
    pool.reconfigure(fake_config(workers=2))
    pool.start()
    qtbot.waitUntil(lambda: pool.ready_count == 2, timeout=20_000)
