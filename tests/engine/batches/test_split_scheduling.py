"""Must-show 4: one long file and three short ones on two workers keep both workers busy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from engine.protocol import JobOptions
from tests.engine.batches.split_helpers import SPEAKERS
from tests.engine.pool.pool_helpers import PartLog, ended

pytestmark = pytest.mark.slow


def test_a_long_file_spreads_over_idle_workers_and_no_file_waits_while_one_idles(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]],
    long_meeting_wav: Path,
    conversation_wav: Path,
    speech_wav: Path,
    speech_mp4: Path,
    qtbot: Any,
) -> None:
    pool, log = split_pool(2)
    qtbot.waitUntil(lambda: pool.ready_count == 2, timeout=120_000)
    percents: dict[str, list[float]] = {}
    waited_while_idle: list[tuple[int, int, int]] = []

    def changed(job_id: str) -> None:
        job = pool.job(job_id)
        if job.state is JobState.RUNNING:
            percents.setdefault(job_id, []).append(job.percent)

    def workers(busy: int, total: int) -> None:
        queued = sum(1 for j in pool.jobs() if j.state is JobState.QUEUED)
        if busy < total and queued:
            waited_while_idle.append((busy, total, queued))

    pool.jobChanged.connect(changed)
    pool.workersChanged.connect(workers)
    files = [long_meeting_wav, speech_wav, conversation_wav, speech_mp4]
    ids = [pool.submit(str(path), JobOptions(speakers=SPEAKERS)) for path in files]
    qtbot.waitUntil(ended(pool, ids), timeout=600_000)
    assert [pool.job(i).state for i in ids] == [JobState.DONE] * 4
    assert len(log.batch_workers(ids[0])) == 2  # the long file's batches ran on both workers
    assert waited_while_idle == []  # no file waited while a worker was idle
    for job_id, seen in percents.items():
        assert seen == sorted(seen), (job_id, seen)  # per-file progress never went back
    assert all(len(percents[i]) > 1 for i in ids)
