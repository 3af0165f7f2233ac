"""Workers that cannot start or cannot load models fail their jobs clearly, and nothing hangs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from engine.pool.jobs import JobState
from engine.pool.pool import PoolConfig, WorkerPool
from engine.protocol import ErrorCode


def test_jobs_fail_clearly_when_the_worker_program_does_not_exist(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(PoolConfig(workers=2, program=("/nonexistent/funscribe-worker", [])))
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        ids = [pool.submit(f"/media/{n}.wav") for n in range(3)]
    for job_id in ids:
        job = pool.job(job_id)
        assert (job.state, job.error_code) == (JobState.FAILED, ErrorCode.WORKER_START_FAILED)
        assert "could not start worker '/nonexistent/funscribe-worker'" in job.error_message
    assert pool.worker_count == 0
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        again = pool.submit("/media/again.wav")  # new work tries the workers afresh
    assert pool.job(again).error_code is ErrorCode.WORKER_START_FAILED


def test_a_worker_that_exits_before_it_is_ready_fails_jobs_with_exit_code_and_stderr(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    script = "import sys; sys.stderr.write('boom: no such device\\n'); sys.exit(7)"
    pool = make_pool(PoolConfig(workers=1, program=(sys.executable, ["-c", script])))
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        job_id = pool.submit("/media/a.wav")
    job = pool.job(job_id)
    assert job.error_code is ErrorCode.WORKER_START_FAILED
    assert "exit code 7" in job.error_message
    assert "boom: no such device" in job.error_message


def test_jobs_fail_with_the_load_error_when_the_models_cannot_be_loaded(
    make_pool: Callable[..., WorkerPool], tmp_path: Path, qtbot
) -> None:
    pool = make_pool(PoolConfig(models_dir=str(tmp_path), workers=1, threads=1))
    with qtbot.waitSignal(pool.idle, timeout=120_000):
        ids = [pool.submit(f"/media/{n}.wav") for n in range(2)]
    for job_id in ids:
        job = pool.job(job_id)
        assert (job.state, job.error_code) == (JobState.FAILED, ErrorCode.MODEL_LOAD_FAILED)
        assert job.error_message.startswith("could not load models")
        assert str(tmp_path) in job.error_message
    assert pool.worker_count == 0
