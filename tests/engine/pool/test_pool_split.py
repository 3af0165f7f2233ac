"""The pool running files as parts (plan, batches, assembly) on stand-in workers: bookkeeping."""

from __future__ import annotations

import os
import signal
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from engine.protocol import ErrorCode
from tests.engine.pool.pool_helpers import PartLog, ended, fake_config, start_split_pool


@pytest.fixture
def split_pool(qapp: object, tmp_path: Path) -> Iterator[Callable[..., tuple[WorkerPool, PartLog]]]:
    """Pools of fake workers running files as parts, checkpointed under tmp_path."""
    pools: list[WorkerPool] = []

    def make(*args: str, workers: int = 1) -> tuple[WorkerPool, PartLog]:
        return start_split_pool(fake_config(*args, workers=workers), tmp_path, pools)

    yield make
    for pool in pools:
        pool.shutdown()


def test_one_file_on_two_workers_spreads_its_batches_and_each_runs_once(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]], tmp_path: Path, qtbot: Any
) -> None:
    pool, log = split_pool("--batches", "6", "--steps", "3", "--step-ms", "40", workers=2)
    job = pool.submit("talk.wav")
    qtbot.waitUntil(ended(pool, [job]), timeout=30_000)
    assert pool.job(job).state is JobState.DONE and pool.job(job).transcript is not None
    assert [part for _, part, *_ in log.parts] == ["plan"] + ["batch"] * 6 + ["assemble"]
    assert sorted(log.batches(job)) == list(range(6))
    assert len({pid for _, part, _, pid, _ in log.parts if part == "batch"}) == 2
    assert not (tmp_path / job).exists()  # done: its checkpoints are gone


def test_a_killed_batch_runs_again_and_the_saved_ones_do_not(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]], qtbot: Any
) -> None:
    pool, log = split_pool("--batches", "4", "--steps", "20", "--step-ms", "25")
    job = pool.submit("talk.wav")
    qtbot.waitUntil(lambda: len(log.batches(job)) == 2 and pool.busy_count == 1, timeout=30_000)
    [victim] = pool.worker_pids()
    os.kill(victim, signal.SIGKILL)  # inside batch 2
    qtbot.waitUntil(ended(pool, [job]), timeout=30_000)
    assert pool.job(job).state is JobState.DONE
    assert log.batches(job) == [0, 1, 2, 3]  # batch 2 once, after the kill; 0 and 1 not again
    assert [part for _, part, *_ in log.parts].count("plan") == 1
    assert pool.job(job).attempts == 1  # the file went on; it was not queued again


def test_cancel_between_parts_ends_the_file_and_retry_runs_only_the_missing_batches(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]], qtbot: Any
) -> None:
    pool, log = split_pool("--batches", "4", "--steps", "2", "--step-ms", "20")
    job = ""

    def cancel_after_second_batch(*part: object) -> None:
        if part[1] == "batch" and part[2] == 1:
            pool.cancel(job)  # the batch just ended: no part of the file runs right now

    pool.partEnded.connect(cancel_after_second_batch)
    job = pool.submit("talk.wav")
    qtbot.waitUntil(ended(pool, [job]), timeout=30_000)
    assert pool.job(job).state is JobState.CANCELLED
    assert log.batches(job) == [0, 1]
    pool.partEnded.disconnect(cancel_after_second_batch)
    log.parts.clear()
    assert pool.retry(job)
    qtbot.waitUntil(ended(pool, [job]), timeout=30_000)
    assert pool.job(job).state is JobState.DONE
    assert log.batches(job) == [2, 3]


def test_a_file_whose_batches_kill_their_worker_twice_fails_with_the_crash(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]], qtbot: Any
) -> None:
    pool, log = split_pool("--batches", "4", "--steps", "40", "--step-ms", "25")
    job = pool.submit("poison.wav")
    for kill in range(2):
        # Inside a batch (the first kill's batch runs again on the restarted worker, once
        # it has loaded: a worker that dies while starting never ran the batch).
        qtbot.waitUntil(
            lambda: (
                pool.ready_count == 1 and bool(pool.workers_on(job)) and log.batches(job) == [0]
            ),
            timeout=30_000,
        )
        [victim] = pool.workers_on(job)
        os.kill(victim, signal.SIGKILL)
        if kill == 0:
            qtbot.waitUntil(lambda v=victim: v not in pool.worker_pids(), timeout=30_000)
            assert pool.job(job).state is JobState.RUNNING  # one crash: the file goes on
    qtbot.waitUntil(ended(pool, [job]), timeout=30_000)
    failed = pool.job(job)
    assert failed.state is JobState.FAILED
    assert failed.error_code is ErrorCode.WORKER_CRASHED
    assert log.batches(job) == [0]


def test_an_owner_that_releases_checkpoints_keeps_them_until_it_has_saved(
    qapp: object, tmp_path: Path, qtbot: Any
) -> None:
    pool = WorkerPool(
        fake_config("--batches", "2", "--steps", "1"),
        checkpoints=str(tmp_path),
        owner_releases_checkpoints=True,
    )
    pool.start()
    try:
        job = pool.submit("talk.wav")
        qtbot.waitUntil(ended(pool, [job]), timeout=30_000)
        assert pool.job(job).state is JobState.DONE
        assert (tmp_path / job / "batch-1").exists()  # not saved by its owner yet
        pool.release_checkpoints(job)
        assert not (tmp_path / job).exists()
    finally:
        pool.shutdown()


def silent_wav(path: Path, seconds: int) -> str:
    """A real WAV header and `seconds` of silence: the pool reads its length, a fake runs it."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0" * 2 * 8000 * seconds)
    return str(path)


def test_while_the_queue_is_long_short_files_run_whole_and_the_last_ones_as_batches(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]], tmp_path: Path, qtbot: Any
) -> None:
    pool, log = split_pool("--batches", "3", "--steps", "2", "--step-ms", "20", workers=2)
    paths = [silent_wav(tmp_path / f"f{i}.wav", 30) for i in range(4)]
    with pool.adding():  # as a drop of four files: the first starts once all are queued
        ids = [pool.submit(path) for path in paths]
    qtbot.waitUntil(ended(pool, ids), timeout=60_000)
    assert [pool.job(i).state for i in ids] == [JobState.DONE] * 4
    split = {job for job, *_ in log.parts}
    assert split == set(ids[2:])  # f0, f1: one transcribe each, no plan, batch or assembly
    for job in ids[2:]:
        assert sorted(log.batches(job)) == [0, 1, 2]
    assert not any((tmp_path / job).exists() for job in ids)
