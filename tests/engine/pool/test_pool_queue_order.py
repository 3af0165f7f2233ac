"""Queue operations that need no worker: order, move, remove, restore, cancel of queued jobs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from engine.pool.jobs import Job, JobState
from engine.pool.pool import PoolConfig, WorkerPool
from engine.protocol import ErrorCode, JobOptions


@pytest.fixture
def pool(make_pool: Callable[..., WorkerPool]) -> WorkerPool:
    """A pool that is never started, so every job stays where the test puts it."""
    return make_pool(PoolConfig(workers=1, program=("/nonexistent", [])), start=False)


def test_jobs_are_listed_in_the_order_they_were_submitted(pool: WorkerPool) -> None:
    ids = [pool.submit(f"/m/{n}.wav") for n in "abc"]
    assert [job.id for job in pool.jobs()] == ids
    assert all(job.state is JobState.QUEUED for job in pool.jobs())


def test_submit_keeps_the_options_and_announces_the_job(pool: WorkerPool, qtbot) -> None:
    with qtbot.waitSignal(pool.jobAdded) as added:
        job_id = pool.submit("/m/a.wav", JobOptions(speakers=2, hotwords="x"))
    assert added.args == [job_id]
    assert pool.job(job_id).options == JobOptions(speakers=2, hotwords="x")


def test_move_reorders_queued_jobs_and_stops_at_the_ends(pool: WorkerPool, qtbot) -> None:
    a, b, c = (pool.submit(f"/m/{n}.wav") for n in "abc")
    with qtbot.waitSignal(pool.orderChanged):
        pool.move(c, -1)
    assert [j.id for j in pool.jobs()] == [a, c, b]
    pool.move(a, 10)
    assert [j.id for j in pool.jobs()] == [c, b, a]
    pool.move(c, -10)
    assert [j.id for j in pool.jobs()] == [c, b, a]


def test_cancelling_a_queued_job_ends_it_without_a_worker(pool: WorkerPool, qtbot) -> None:
    job_id = pool.submit("/m/a.wav")
    with qtbot.waitSignal(pool.idle):
        pool.cancel(job_id)
    job = pool.job(job_id)
    assert job.state is JobState.CANCELLED
    assert job.error_code is ErrorCode.CANCELLED
    assert job.attempts == 0


def test_retry_requeues_a_cancelled_job_and_remove_forgets_it(pool: WorkerPool, qtbot) -> None:
    job_id = pool.submit("/m/a.wav")
    pool.cancel(job_id)
    assert pool.retry(job_id)
    assert pool.job(job_id).state is JobState.QUEUED
    assert not pool.retry(job_id)  # only failed or cancelled jobs
    with qtbot.waitSignal(pool.jobRemoved):
        assert pool.remove(job_id)
    with pytest.raises(KeyError):
        pool.job(job_id)


def test_clear_finished_removes_only_ended_jobs(pool: WorkerPool) -> None:
    keep = pool.submit("/m/a.wav")
    gone = pool.submit("/m/b.wav")
    pool.cancel(gone)
    pool.clear_finished()
    assert [j.id for j in pool.jobs()] == [keep]


def test_restore_keeps_a_done_job_and_requeues_an_interrupted_one(pool: WorkerPool) -> None:
    done = Job(
        id="d1",
        path="/m/a.wav",
        state=JobState.DONE,
        percent=100.0,
        transcript={"sentences": [{"speaker": 0}]},
    )
    running = Job(id="r1", path="/m/b.wav", state=JobState.RUNNING, percent=40.0, attempts=1)
    pool.restore(done)
    pool.restore(running)
    assert pool.job("d1").state is JobState.DONE
    assert pool.job("d1").speakers_found == 1
    assert pool.job("r1").state is JobState.QUEUED
    assert pool.job("r1").percent == 0
    with pytest.raises(ValueError):
        pool.restore(Job(id="d1", path="/m/c.wav"))


def test_a_pool_that_was_not_started_has_no_workers(pool: WorkerPool) -> None:
    pool.submit("/m/a.wav")
    assert (pool.worker_count, pool.busy_count) == (0, 0)
