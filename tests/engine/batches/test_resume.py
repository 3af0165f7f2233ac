"""Must-show 3: a file interrupted mid-way resumes from its saved batches, none run twice.

Each test stops the long (over five minutes) file once about half its batches are saved:
by killing its worker, by cancelling it, or by killing the whole app (a child process
running the pool). The transcript at the end equals FunASR's own, and the batches saved
before the interruption are not computed again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.batches import store
from engine.pool.jobs import Job, JobState
from engine.pool.pool import WorkerPool
from engine.protocol import JobOptions
from tests.engine.batches.split_helpers import SPEAKERS, assert_equals_reference
from tests.engine.pool.pool_helpers import PartLog, ended

pytestmark = pytest.mark.slow


def _batch_count(folder: Path) -> int:
    plan = store.load_plan(folder)
    return len(plan.batches) if plan is not None else 0


def _half_saved(log: PartLog, job: str, folder: Path) -> Callable[[], bool]:
    def check() -> bool:
        total = _batch_count(folder)
        return total > 0 and len(log.batches(job)) >= total // 2

    return check


def _run_to_half(
    pool: WorkerPool, log: PartLog, path: Path, tmp_path: Path, qtbot: Any
) -> tuple[str, Path, int]:
    """Submit `path` and wait until half its batches are saved: (job, its folder, batches)."""
    job_id = pool.submit(str(path), JobOptions(speakers=SPEAKERS))
    folder = tmp_path / "checkpoints" / job_id
    qtbot.waitUntil(_half_saved(log, job_id, folder), timeout=300_000)
    return job_id, folder, _batch_count(folder)


def _assert_finished_like_funasr(pool: WorkerPool, job_id: str, reference: Any) -> None:
    job = pool.job(job_id)
    assert job.state is JobState.DONE, (job.error_code, job.error_message, job.error_detail)
    assert job.transcript is not None
    assert_equals_reference(job.transcript, reference, job.path)


def test_a_worker_killed_mid_file_reruns_only_its_unsaved_batch(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]],
    long_meeting_wav: Path,
    references: dict[Path, Any],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    pool, log = split_pool(1)
    job_id, _, total = _run_to_half(pool, log, long_meeting_wav, tmp_path, qtbot)
    [victim] = pool.worker_pids()
    os.kill(victim, signal.SIGKILL)
    qtbot.waitUntil(ended(pool, [job_id]), timeout=300_000)
    _assert_finished_like_funasr(pool, job_id, references[long_meeting_wav])
    computed = log.batches(job_id)
    assert len(computed) == len(set(computed))  # no batch computed twice
    # Every batch was computed once; at most the one the kill hit between its save and
    # its answer was found saved instead of being computed again.
    reused = [i for j, part, i, _, r in log.parts if j == job_id and part == "batch" and r]
    assert sorted(computed + reused) == list(range(total)) and len(reused) <= 1
    assert victim not in pool.worker_pids()


def test_cancel_then_retry_runs_only_the_batches_not_saved(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]],
    long_meeting_wav: Path,
    references: dict[Path, Any],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    pool, log = split_pool(1)
    job_id, folder, total = _run_to_half(pool, log, long_meeting_wav, tmp_path, qtbot)
    pool.cancel(job_id)
    qtbot.waitUntil(ended(pool, [job_id]), timeout=30_000)
    assert pool.job(job_id).state is JobState.CANCELLED
    first = list(log.batches(job_id))
    saved = store.finished_batches(folder, store.load_plan(folder))  # type: ignore[arg-type]
    assert set(first) <= set(saved) and saved
    log.parts.clear()
    assert pool.retry(job_id)
    qtbot.waitUntil(ended(pool, [job_id]), timeout=300_000)
    _assert_finished_like_funasr(pool, job_id, references[long_meeting_wav])
    second = log.batches(job_id)
    assert set(second).isdisjoint(saved)  # what was saved did not run again
    assert sorted(second + saved) == list(range(total))


def test_an_app_killed_mid_file_resumes_from_its_checkpoints_after_relaunch(
    split_pool: Callable[..., tuple[WorkerPool, PartLog]],
    model_dir: Path,
    long_meeting_wav: Path,
    references: dict[Path, Any],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    checkpoints, job_id = tmp_path / "data" / "checkpoints", "relaunched"
    folder = checkpoints / job_id
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.engine.batches.app_process",
            str(model_dir),
            *(str(checkpoints), job_id, str(long_meeting_wav)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdout is not None
    first: list[int] = []
    workers: set[int] = set()
    for line in app.stdout:
        part, index, reused, pids = json.loads(line)
        workers.update(pids)
        if part == "batch" and not reused:
            first.append(index)
        if first and len(first) >= _batch_count(folder) // 2:
            break
    app.send_signal(signal.SIGKILL)
    app.wait(timeout=30)
    _wait_gone(workers)  # the orphaned worker saw its stdin close and stopped
    plan = store.load_plan(folder)
    assert plan is not None
    saved = store.finished_batches(folder, plan)
    assert set(first) <= set(saved)
    pool, log = split_pool(1, checkpoints=checkpoints)
    # As the relaunched app restores its session: the job was running, so it is queued again.
    pool.restore(
        Job(
            id=job_id,
            path=str(long_meeting_wav),
            options=JobOptions(speakers=SPEAKERS),
            state=JobState.RUNNING,
        )
    )
    qtbot.waitUntil(ended(pool, [job_id]), timeout=300_000)
    _assert_finished_like_funasr(pool, job_id, references[long_meeting_wav])
    second = log.batches(job_id)
    assert set(second).isdisjoint(saved)
    assert sorted(second + saved) == list(range(len(plan.batches)))
    assert not folder.exists()  # the transcript is saved: its checkpoints are gone


def _wait_gone(pids: set[int], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        alive = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive:
            return
        time.sleep(0.1)
    raise AssertionError(f"workers still running: {pids}")
