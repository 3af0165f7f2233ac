"""Cancelling from the queue, and a worker killed from outside, with real workers."""

from __future__ import annotations

import os
import signal

import pytest

from engine.pool.jobs import JobState
from engine.protocol import ErrorCode, Stage
from gui.queue_model import Column
from tests.gui.conftest import copy_as

pytestmark = pytest.mark.slow


def status(window, job_id: str) -> str:
    return window.queue_model.index(window.queue_model.row_of(job_id), Column.STATUS).data()


def recognising(window, job_id: str) -> bool:
    job = window.pool.job(job_id)
    return job.state is JobState.RUNNING and job.stage is Stage.ASR


def test_cancel_stops_a_running_job_and_a_killed_worker_fails_only_its_own_row(
    make_window, model_dir, long_wav, speech_wav, tmp_path, qtbot
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

    # Kill the worker under the second file. The pool retries a crash once (on the worker
    # that is free), so it takes a second kill to fail the job.
    def left_running(job_id: str) -> bool:
        # Requeued after a crash, it may be running again by the time we look: catch the change.
        return job_id == crash_me and window.pool.job(job_id).state is not JobState.RUNNING

    for _ in range(2):
        qtbot.waitUntil(lambda: recognising(window, crash_me), timeout=120_000)
        with qtbot.waitSignal(window.pool.jobChanged, check_params_cb=left_running):
            os.kill(window.pool.job(crash_me).worker_pid, signal.SIGKILL)

    failed = window.pool.job(crash_me)
    assert failed.state is JobState.FAILED
    assert failed.error_code is ErrorCode.WORKER_CRASHED
    assert status(window, crash_me) == f"Failed: {failed.error_message}"

    # The next file runs on a replacement worker, and the window is still there.
    (after,) = window.add_paths(copy_as(speech_wav, tmp_path / "in", "after.wav"))
    qtbot.waitUntil(lambda: window.pool.job(after).state is JobState.DONE, timeout=120_000)
    assert window.isVisible()
    assert status(window, after) == "Done"
    assert status(window, cancel_me) == "Cancelled"
