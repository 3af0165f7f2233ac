"""Cancelling from the queue, and a worker killed from outside, with real workers.

A file that kills its workers again and again fails with the crash: tests/engine/pool/
test_pool_split.py shows that with stand-in workers.
"""

from __future__ import annotations

import os
import signal

import pytest

from engine.pool.jobs import JobState
from engine.protocol import Stage
from gui.queue_model import Column
from tests.gui.conftest import copy_as

pytestmark = pytest.mark.slow


def status(window, job_id: str) -> str:
    return window.queue_model.index(window.queue_model.row_of(job_id), Column.STATUS).data()


def recognising(window, job_id: str) -> bool:
    job = window.pool.job(job_id)
    return job.state is JobState.RUNNING and job.stage is Stage.ASR


def test_cancel_stops_a_running_job_and_a_killed_worker_costs_only_its_own_batch(
    make_window, model_dir, long_wav, speech_wav, data_folder, tmp_path, qtbot
):
    cancel_path, crash_path = copy_as(long_wav, tmp_path / "in", "cancel-me.wav", "crash-me.wav")
    window = make_window(models=model_dir, workers=2)
    window.show()
    window.pool.start()
    cancel_me, crash_me = window.add_paths([cancel_path, crash_path])

    # Cancel from the queue while the first file is being recognised.
    qtbot.waitUntil(lambda: recognising(window, cancel_me), timeout=120_000)
    window.queue.select_job(cancel_me)
    assert window.toolbar_actions.cancel.isEnabled()
    window.toolbar_actions.cancel.trigger()
    qtbot.waitUntil(lambda: window.pool.job(cancel_me).state is JobState.CANCELLED)
    assert status(window, cancel_me) == "Cancelled"

    # Kill a worker running one of the second file's batches. The file is not queued again:
    # it goes on from its saved batches, only the lost one runs again, and its progress
    # never goes back.
    seen: list[tuple[JobState, float | None]] = []
    computed: list[int] = []

    def changed(job_id: str) -> None:
        if job_id == crash_me:
            job = window.pool.job(job_id)
            seen.append((job.state, job.percent))

    def part_ended(job_id: str, part: str, index: int, _pid: int, reused: bool) -> None:
        if job_id == crash_me and part == "batch" and not reused:
            computed.append(index)

    window.pool.jobChanged.connect(changed)
    window.pool.partEnded.connect(part_ended)
    # Recognising (the file is planned) with a worker on it: the kill hits a batch (or the
    # assembly), not the plan, whose loss would plan the file again.
    qtbot.waitUntil(
        lambda: recognising(window, crash_me) and bool(window.pool.workers_on(crash_me)),
        timeout=120_000,
    )
    victim = window.pool.workers_on(crash_me)[0]
    os.kill(victim, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.pool.job(crash_me).state.finished, timeout=120_000)

    done = window.pool.job(crash_me)
    assert done.state is JobState.DONE, (done.error_code, done.error_message)
    assert done.attempts == 1
    assert JobState.QUEUED not in [state for state, _ in seen]
    percents = [percent for _, percent in seen if percent is not None]
    assert percents == sorted(percents)
    assert len(computed) == len(set(computed))  # no batch computed twice
    assert victim not in window.pool.worker_pids()
    qtbot.waitUntil(lambda: window.session.transcript(crash_me) is not None, timeout=30_000)
    assert status(window, crash_me) == "Done"
    assert not (data_folder / "checkpoints" / crash_me).exists()  # released once saved
    assert (data_folder / "checkpoints" / cancel_me).is_dir()  # kept: a retry resumes

    # The next file runs on the replacement worker too, and the window is still there.
    (after,) = window.add_paths(copy_as(speech_wav, tmp_path / "in", "after.wav"))
    qtbot.waitUntil(lambda: window.pool.job(after).state is JobState.DONE, timeout=120_000)
    assert window.isVisible()
    assert status(window, after) == "Done"
    assert status(window, cancel_me) == "Cancelled"
