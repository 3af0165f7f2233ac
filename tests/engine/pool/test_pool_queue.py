"""Real workers, tiny models: twelve files through two workers, checked against one worker."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from engine.pool.jobs import JobState
from engine.pool.pool import PoolConfig, WorkerPool


def run_all(pool: WorkerPool, clips: list[Path], qtbot) -> tuple[list[str], dict, float]:
    """Submit every clip, wait for the pool to go idle; (ids, job-change log, wall seconds)."""
    log: dict[str, list[tuple[JobState, int, float]]] = defaultdict(list)

    def record(job_id: str) -> None:
        job = pool.job(job_id)
        log[job_id].append((job.state, job.attempts, job.percent))

    pool.jobChanged.connect(record)
    started = time.perf_counter()
    try:
        with qtbot.waitSignal(pool.idle, timeout=240_000):
            ids = [pool.submit(str(clip)) for clip in clips]
    finally:
        pool.jobChanged.disconnect(record)
    return ids, log, time.perf_counter() - started


def test_twelve_files_through_two_workers_equal_a_one_worker_run_of_each_file(
    shared_pool: WorkerPool,
    make_pool: Callable[..., WorkerPool],
    model_dir: Path,
    twelve_clips: list[Path],
    qtbot,
) -> None:
    reference = make_pool(PoolConfig(models_dir=str(model_dir), workers=1, threads=1))
    # Warm workers first, so the throughput printed below is the queue's own.
    warm = lambda: (shared_pool.ready_count, reference.ready_count) == (2, 1)  # noqa: E731
    qtbot.waitUntil(warm, timeout=120_000)
    ids, log, wall_two = run_all(shared_pool, twelve_clips, qtbot)
    one_ids, _, wall_one = run_all(reference, twelve_clips, qtbot)

    jobs = [shared_pool.job(i) for i in ids]
    assert [job.state for job in jobs] == [JobState.DONE] * 12
    assert len(set(ids)) == 12
    assert [job.path for job in jobs] == [str(c) for c in twelve_clips]
    for job_id in ids:
        # Each job ran once and ended once; its percent never went down.
        assert [s for s, _, _ in log[job_id]].count(JobState.DONE) == 1
        assert {attempts for _, attempts, _ in log[job_id]} == {1}
        percents = [p for _, _, p in log[job_id]]
        assert percents == sorted(percents), percents
    assert len({job.worker_pid for job in jobs}) == 2  # both workers took jobs
    for job, one_id in zip(jobs, one_ids, strict=True):
        assert job.transcript == reference.job(one_id).transcript, job.path
        assert job.transcript is not None and job.transcript["source"]["path"] == job.path

    audio = sum(job.audio_seconds or 0 for job in jobs)
    print(
        f"\nthroughput: 2 workers {audio / wall_two:.1f}, 1 worker {audio / wall_one:.1f}"
        f" audio s per wall s ({audio:.0f} s of audio, one thread per worker)"
    )


def test_workers_are_reused_across_jobs(shared_pool: WorkerPool, twelve_clips, qtbot) -> None:
    before = set(shared_pool.worker_pids())
    with qtbot.waitSignal(shared_pool.idle, timeout=120_000):
        ids = [shared_pool.submit(str(clip)) for clip in twelve_clips[:3]]
    assert {shared_pool.job(i).worker_pid for i in ids} <= before
    assert set(shared_pool.worker_pids()) == before
