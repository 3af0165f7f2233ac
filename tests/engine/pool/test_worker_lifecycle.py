"""The worker's life as one state machine: no job for a dying worker, no respawn storm, no
job loading forever, no handle kept after its exit (fake workers misbehave on demand)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from pool_helpers import FAKE_WORKER, fake_config
from PySide6.QtCore import QCoreApplication, QEvent

from engine.pool import procs
from engine.pool.handle import WorkerHandle
from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from engine.pool.worker_state import WORKER_TRANSITIONS, WorkerState
from engine.protocol import Error, ErrorCode, Transcribe


def spawned(pidlog: Path) -> list[int]:
    """Pids the fake workers logged as they started."""
    return [int(p) for p in pidlog.read_text().split()] if pidlog.exists() else []


def live_handles(pool: WorkerPool) -> list[WorkerHandle]:
    """WorkerHandle objects still alive under the pool, once deferred deletes have run."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return pool.findChildren(WorkerHandle)


def track(pool: WorkerPool, job_id: str) -> list[tuple[JobState, int | None]]:
    """Every (state, worker pid) the job is announced in."""
    seen: list[tuple[JobState, int | None]] = []

    def changed(changed_id: str) -> None:
        if changed_id == job_id:
            job = pool.job(job_id)
            seen.append((job.state, job.worker_pid))

    pool.jobChanged.connect(changed)
    return seen


# ---- 1. no job is handed to a worker that is being stopped --------------------------------


def test_a_forced_cancel_never_hands_the_next_job_to_the_worker_being_killed(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config("--ignore-cancel", "--steps", "1000"))
    first = pool.submit("/m/a.wav")
    second = pool.submit("/m/b.wav")
    seen = track(pool, second)
    qtbot.waitUntil(lambda: pool.job(first).stage is not None, timeout=10_000)
    doomed = pool.job(first).worker_pid
    pool.cancel(first)  # ignored: the handle kills the worker after a grace period
    qtbot.waitUntil(lambda: pool.job(first).state is JobState.CANCELLED, timeout=10_000)
    qtbot.waitUntil(lambda: pool.job(second).state is JobState.RUNNING, timeout=10_000)
    assert doomed not in [pid for _, pid in seen], f"{second} was handed to {doomed}: {seen}"
    assert pool.job(second).attempts == 1  # it never crashed, so it has its retry left
    pool.cancel(second)


def test_a_worker_that_failed_to_load_is_never_handed_the_next_job(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config("--fail-load"))
    first = pool.submit("/m/a.wav")  # assigned while the models "load"
    second = pool.submit("/m/b.wav")
    seen = track(pool, second)
    qtbot.waitUntil(lambda: pool.job(second).state.finished, timeout=10_000)
    assert [state for state, _ in seen] == [JobState.FAILED]  # it never left the queue
    for job_id in (first, second):
        job = pool.job(job_id)
        assert (job.state, job.error_code) == (JobState.FAILED, ErrorCode.MODEL_LOAD_FAILED)
        assert job.error_message == "could not load models: fake"


def test_a_busy_stopping_or_exited_worker_never_takes_a_job() -> None:
    assert WORKER_TRANSITIONS[WorkerState.STOPPING] == {WorkerState.EXITED}
    assert not WorkerState.STOPPING.accepting and not WorkerState.EXITED.accepting
    assert not WorkerState.BUSY.accepting


# ---- 2. a worker that keeps dying is restarted a few times, with backoff, then given up ---


def test_a_worker_that_exits_right_after_hello_breaks_its_slot_after_k_spawns(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path
) -> None:
    pidlog = tmp_path / "pids"
    pool = make_pool(fake_config("--exit-after-hello", "--pidlog", str(pidlog)))  # defaults: K=3
    # The old pool restarted it forever: stop waiting as soon as a fourth one starts.
    given_up = lambda: len(spawned(pidlog)) == 3 and pool.worker_count == 0  # noqa: E731
    qtbot.waitUntil(lambda: len(spawned(pidlog)) > 3 or given_up(), timeout=30_000)
    assert len(spawned(pidlog)) == 3
    [reason] = pool.broken_reasons()
    assert "worker exited with no job (exit code 1)" in reason
    assert "gave up after 3 workers in a row died before finishing a job" in reason


def test_queued_jobs_fail_with_the_reason_when_every_slot_is_broken(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path
) -> None:
    pidlog = tmp_path / "pids"
    config = fake_config(
        "--exit-after-hello", "--pidlog", str(pidlog), max_early_deaths=3, respawn_delay_ms=20
    )
    pool = make_pool(config)
    with qtbot.waitSignal(pool.idle, timeout=30_000):
        ids = [pool.submit(f"/m/{n}.wav") for n in range(4)]
    assert len(spawned(pidlog)) == 3
    assert all(pool.job(i).state is JobState.FAILED for i in ids)
    # Each job either crashed its own workers twice, or was failed with the slot's reason.
    reasons = {pool.job(i).error_message for i in ids}
    assert any("gave up after 3 workers in a row" in r for r in reasons), reasons


def test_the_respawn_delay_grows_with_each_death_in_a_row() -> None:
    config = fake_config(respawn_delay_ms=100)
    assert [config.respawn_delay(d) for d in (1, 2, 3, 4)] == [0, 100, 200, 400]
    assert config.respawn_delay(1000) == 60_000


# ---- 3. no job stays loading forever ------------------------------------------------------


def test_a_worker_that_hangs_while_loading_is_stopped_and_its_job_fails_with_load_timeout(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path
) -> None:
    pidlog = tmp_path / "pids"
    config = fake_config(
        "--hang-before-hello",
        "--pidlog",
        str(pidlog),
        load_timeout_s=0.5,
        max_early_deaths=2,
        respawn_delay_ms=20,
    )
    pool = make_pool(config)
    job_id = pool.submit("/m/a.wav")
    qtbot.waitUntil(lambda: pool.job(job_id).state.finished, timeout=60_000)
    job = pool.job(job_id)
    assert (job.state, job.error_code) == (JobState.FAILED, ErrorCode.LOAD_TIMEOUT)
    assert "worker did not load its models within 0.5 s" in job.error_message
    assert len(spawned(pidlog)) == 2
    qtbot.waitUntil(lambda: not any(procs.alive(p) for p in spawned(pidlog)), timeout=5000)


def test_a_hello_of_another_protocol_version_fails_the_job_at_once_naming_both_versions(
    make_pool: Callable[..., WorkerPool], qtbot, tmp_path: Path
) -> None:
    pidlog = tmp_path / "pids"
    pool = make_pool(fake_config("--hello-version", "3", "--pidlog", str(pidlog)))
    job_id = pool.submit("/m/a.wav")
    qtbot.waitUntil(lambda: pool.job(job_id).state.finished, timeout=30_000)
    job = pool.job(job_id)
    assert (job.state, job.error_code) == (JobState.FAILED, ErrorCode.PROTOCOL_MISMATCH)
    assert job.error_message == "worker speaks protocol v3, this app v2"
    assert len(spawned(pidlog)) == 1  # starting it again cannot help
    assert pool.broken_reasons() == ["worker speaks protocol v3, this app v2"]


# ---- 4. exited workers are freed ----------------------------------------------------------


def test_recycled_workers_are_freed_so_the_pool_holds_one_handle_per_worker(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config(rss_limit_mb=1))  # every job leaves it "too big"
    with qtbot.waitSignal(pool.idle, timeout=60_000):
        ids = [pool.submit(f"/m/{n}.wav") for n in range(5)]
    assert len({pool.job(i).worker_pid for i in ids}) == 5  # five recycles
    qtbot.waitUntil(lambda: pool.ready_count == 1, timeout=10_000)
    qtbot.waitUntil(lambda: len(live_handles(pool)) == 1, timeout=5000)
    pool.shutdown()
    qtbot.waitUntil(lambda: live_handles(pool) == [], timeout=5000)


# ---- 7. who ended a job is in its error code ----------------------------------------------


def test_a_job_whose_worker_we_stop_ends_stopped_and_an_ignored_cancel_ends_cancelled(
    qapp: object, qtbot
) -> None:
    ends: list[Error] = []
    handles: list[WorkerHandle] = []
    for stop in ("terminate", "cancel"):
        args = [str(FAKE_WORKER), "--ignore-cancel", "--steps", "1000"]
        handle = WorkerHandle(sys.executable, args)
        handle.jobEnded.connect(lambda _job, end: ends.append(end))
        handle.start()
        with qtbot.waitSignal(handle.progressed, timeout=10_000):
            handle.run(Transcribe(job=stop, path="/m/a.wav"))
        with qtbot.waitSignal(handle.exited, timeout=10_000):
            getattr(handle, stop)()
        handles.append(handle)
    assert [(e.job, e.code) for e in ends] == [
        ("terminate", ErrorCode.STOPPED),
        ("cancel", ErrorCode.CANCELLED),
    ]
    assert [h.state for h in handles] == [WorkerState.EXITED] * 2


def test_a_worker_killed_from_outside_is_a_crash_not_a_cancel(
    make_pool: Callable[..., WorkerPool], qtbot
) -> None:
    pool = make_pool(fake_config("--steps", "1000"))
    job_id = pool.submit("/m/a.wav")
    qtbot.waitUntil(lambda: pool.job(job_id).stage is not None, timeout=10_000)
    first = pool.job(job_id).worker_pid
    os.kill(first or 0, signal.SIGKILL)
    qtbot.waitUntil(lambda: pool.job(job_id).worker_pid not in (None, first), timeout=10_000)
    assert pool.job(job_id).attempts == 2  # retried: a crash, not a cancel or a stop
    pool.cancel(job_id)
    qtbot.waitUntil(lambda: pool.job(job_id).state is JobState.CANCELLED, timeout=10_000)
