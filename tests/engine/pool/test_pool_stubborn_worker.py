"""Behaviour the real worker cannot be made to show: a stand-in that ignores cancel, leaves a
child process behind, or grows past the memory limit (tests/engine/pool/fake_worker.py)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from pool_helpers import ended, fake_config

from engine.pool import procs
from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool


def test_fake_workers_run_a_queue_to_the_end(make_pool: Callable[..., WorkerPool], qtbot) -> None:
    pool = make_pool(fake_config(workers=2))
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        ids = [pool.submit(f"/m/{i}.wav") for i in range(6)]
    assert [pool.job(i).state for i in ids] == [JobState.DONE] * 6
    assert all(pool.job(i).transcript["sentences"][0]["text"] == pool.job(i).path for i in ids)


def test_a_worker_that_ignores_cancel_is_stopped_and_replaced(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config("--ignore-cancel", "--steps", "1000"))
    job_id = pool.submit("/m/a.wav")
    qtbot.waitUntil(lambda: pool.job(job_id).stage is not None, timeout=10_000)
    old_pid = pool.job(job_id).worker_pid
    assert old_pid is not None
    started = time.monotonic()
    pool.cancel(job_id)
    qtbot.waitUntil(lambda: pool.job(job_id).state is JobState.CANCELLED, timeout=3000)
    assert time.monotonic() - started < 2.0
    qtbot.waitUntil(lambda: not procs.alive(old_pid), timeout=3000)
    qtbot.waitUntil(lambda: len(pool.worker_pids()) == 1 and old_pid not in pool.worker_pids())


def test_killing_a_worker_also_kills_its_children(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path
) -> None:
    pidfile = tmp_path / "child.pid"
    pool = make_pool(fake_config("--spawn-child", str(pidfile), "--steps", "1000"))
    job_id = pool.submit("/m/a.wav")
    qtbot.waitUntil(lambda: pool.job(job_id).stage is not None, timeout=10_000)
    child = int(pidfile.read_text())
    assert procs.alive(child)
    os.kill(pool.job(job_id).worker_pid or 0, signal.SIGKILL)
    qtbot.waitUntil(lambda: not procs.alive(child), timeout=3000)


def test_shutdown_leaves_no_worker_or_child_process(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path
) -> None:
    pidfile = tmp_path / "child.pid"
    pool = make_pool(fake_config("--spawn-child", str(pidfile), workers=2))
    qtbot.waitUntil(lambda: pidfile.exists() and len(pool.worker_pids()) == 2, timeout=10_000)
    pids = [*pool.worker_pids(), int(pidfile.read_text())]
    pool.shutdown()
    assert pool.worker_count == 0
    qtbot.waitUntil(lambda: not any(procs.alive(pid) for pid in pids), timeout=2000)


def test_a_worker_over_the_memory_limit_is_recycled_after_its_job(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config(rss_limit_mb=1))
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        first = pool.submit("/m/a.wav")
    first_pid = pool.job(first).worker_pid
    with qtbot.waitSignal(pool.idle, timeout=10_000):
        second = pool.submit("/m/b.wav")
    assert pool.job(second).state is JobState.DONE
    assert pool.job(second).worker_pid != first_pid
    assert not procs.alive(first_pid or 0)
    assert ended(pool, [first, second])()
