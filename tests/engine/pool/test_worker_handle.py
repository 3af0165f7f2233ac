"""One worker handle: a job's end is signalled exactly once, however the process ends."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator

import pytest
from pool_helpers import FAKE_WORKER

from engine.pool.handle import NOT_STARTED, WorkerHandle, describe_exit, last_message
from engine.protocol import Error, ErrorCode, Result, Transcribe


@pytest.fixture
def handles(qapp: object) -> Iterator[list[WorkerHandle]]:
    made: list[WorkerHandle] = []
    yield made
    for handle in made:
        handle.kill()
        handle.wait(3000)


def start(handles: list[WorkerHandle], program: str, *args: str) -> tuple[WorkerHandle, list]:
    handle = WorkerHandle(program, list(args))
    ends: list[tuple[str, object]] = []
    handle.jobEnded.connect(lambda job, end: ends.append((job, end)))
    handles.append(handle)
    handle.start()
    return handle, ends


def test_a_finished_job_ends_once_with_its_result(handles, qtbot) -> None:
    handle, ends = start(handles, sys.executable, str(FAKE_WORKER))
    with qtbot.waitSignal(handle.jobEnded, timeout=10_000):
        handle.run(Transcribe(job="j1", path="/m/a.wav"))  # sent once the worker is ready
    assert [(job, type(end)) for job, end in ends] == [("j1", Result)]
    assert not handle.busy and handle.is_ready


def test_a_job_ends_once_when_its_worker_is_killed(handles, qtbot) -> None:
    handle, ends = start(handles, sys.executable, str(FAKE_WORKER), "--steps", "1000")
    handle.progressed.connect(lambda job, p: os.kill(handle.pid or 0, signal.SIGKILL))
    with qtbot.waitSignal(handle.exited, timeout=10_000) as exited:
        handle.run(Transcribe(job="j1", path="/m/a.wav"))
    assert exited.args == [-9]
    [(job, end)] = ends
    assert job == "j1" and isinstance(end, Error)
    assert end.code is ErrorCode.WORKER_CRASHED
    assert "exit code -9, SIGKILL" in end.message


def test_a_job_ends_once_when_the_program_cannot_start(handles, qtbot) -> None:
    handle, ends = start(handles, "/nonexistent/worker")
    handle_exit = qtbot.waitSignal(handle.exited, timeout=5000)
    with handle_exit:
        handle.run(Transcribe(job="j1", path="/m/a.wav"))
    assert handle_exit.args == [NOT_STARTED]
    [(job, end)] = ends
    assert job == "j1" and end.code is ErrorCode.WORKER_START_FAILED
    assert handle.failure is not None and handle.failure.code is ErrorCode.WORKER_START_FAILED


def test_cancel_before_the_models_are_loaded_ends_the_job_at_once(handles, qtbot) -> None:
    handle, ends = start(handles, sys.executable, "-c", "import time; time.sleep(60)")
    handle.run(Transcribe(job="j1", path="/m/a.wav"))
    handle.cancel()
    assert [(job, end.code) for job, end in ends] == [("j1", ErrorCode.CANCELLED)]
    assert not handle.busy


def test_exit_codes_are_described_with_their_signal() -> None:
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-9) == "exit code -9, SIGKILL"
    assert describe_exit(NOT_STARTED) == f"exit code {NOT_STARTED}"


def test_a_crash_message_quotes_the_last_stderr_line_that_is_not_routine_logging() -> None:
    stderr = "Traceback (most recent call last):\nMemoryError: boom\n2026-01-01 [INFO] loading\n"
    assert last_message(stderr) == "MemoryError: boom"
    assert last_message("2026-01-01 [INFO] only logs\n") == ""
