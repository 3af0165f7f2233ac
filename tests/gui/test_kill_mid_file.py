"""The real app killed (-9) half-way through a long file: relaunched, it resumes from the
batches it had saved, runs only the missing ones, and ends with FunASR's own transcript."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from engine.batches import store
from engine.pool.jobs import JobState
from gui.session_store import DATA_DIR_ENV
from tests.engine.batches.split_helpers import SPEAKERS, assert_equals_reference

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

ROOT = Path(__file__).resolve().parents[2]
# The real app on one worker with the long file on its command line; it prints each part of
# the file that ends (what the test counts), nothing else is changed.
CHILD = r"""
import json
import sys

import gui.app as app
from gui.settings import Key, Settings

settings = Settings()
for key, value in ((Key.MODEL_PRESET, "local"), (Key.MODELS_DIR, sys.argv[1]),
                   (Key.WORKERS, 1), (Key.THREADS, 1), (Key.SPEAKERS, int(sys.argv[3]))):
    settings.set_value(key, value)
make = app.create_window

def create_window(*args, **kwargs):
    window = make(*args, **kwargs)

    def report(job, part, index, _pid, reused):
        print(json.dumps([job, part, index, reused, window.pool.worker_pids()]), flush=True)

    window.pool.partEnded.connect(report)
    return window

app.create_window = create_window
sys.exit(app.main(["funscribe", sys.argv[2]]))
"""


def _run_app_to_half(
    data_folder: Path, models: Path, path: Path, tmp_path: Path
) -> tuple[str, list[int], set[int]]:
    """Start the app on `path`, kill it once half the file's batches are saved; returns
    (job id, batches computed before the kill, the worker pids it had)."""
    env = dict(os.environ)
    env.update(
        {
            DATA_DIR_ENV: str(data_folder),
            "XDG_CONFIG_HOME": str(tmp_path / "settings"),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )
    command = [sys.executable, "-c", CHILD, str(models), str(path), str(SPEAKERS)]
    app = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert app.stdout is not None
    job_id, computed, workers = "", list[int](), set[int]()
    try:
        deadline = time.monotonic() + 300
        while True:
            ready, _, _ = select.select([app.stdout], [], [], max(deadline - time.monotonic(), 0))
            line = app.stdout.readline() if ready else ""
            assert line, "the app ended or stalled before saving half the file's batches"
            job_id, part, index, reused, pids = json.loads(line)
            workers.update(pids)
            if part == "batch" and not reused:
                computed.append(index)
            plan = store.load_plan(data_folder / "checkpoints" / job_id)
            if plan is not None and len(computed) >= len(plan.batches) // 2:
                break
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    return job_id, computed, workers


def _wait_gone(pids: set[int], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() < deadline, f"orphaned workers still running: {pids}"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_app_killed_half_way_resumes_the_file_from_its_saved_batches(
    make_window: Any,
    data_folder: Path,
    model_dir: Path,
    long_meeting_wav: Path,
    references: dict[Path, Any],
    tmp_path: Path,
    qtbot: Any,
) -> None:
    job_id, first, workers = _run_app_to_half(data_folder, model_dir, long_meeting_wav, tmp_path)
    _wait_gone(workers)  # a worker whose app died sees its stdin close and stops
    folder = data_folder / "checkpoints" / job_id
    plan = store.load_plan(folder)
    assert plan is not None
    saved = store.finished_batches(folder, plan)
    assert set(first) <= set(saved) and len(saved) < len(plan.batches)

    window = make_window(models=model_dir, workers=1, speakers=SPEAKERS)  # the relaunch
    assert window.pool.job(job_id).state is JobState.QUEUED  # it was running: queued again
    results: list[dict[str, Any]] = []
    adopt = window.session.writer.adopt

    def keep_result(job: str, result: dict[str, Any]) -> None:  # a copy for the comparison
        results.append(json.loads(json.dumps(result)))
        adopt(job, result)

    window.session.writer.adopt = keep_result  # type: ignore[method-assign]
    second: list[int] = []
    window.pool.partEnded.connect(
        lambda job, part, index, _pid, reused: (
            second.append(index) if job == job_id and part == "batch" and not reused else None
        )
    )
    window.pool.start()
    qtbot.waitUntil(lambda: window.session.transcript(job_id) is not None, timeout=300_000)

    job = window.pool.job(job_id)
    assert job.state is JobState.DONE, (job.error_code, job.error_message)
    [result] = results
    assert_equals_reference(result, references[long_meeting_wav], str(long_meeting_wav))
    assert set(second).isdisjoint(saved)  # what was saved before the kill did not run again
    assert sorted(second + saved) == list(range(len(plan.batches)))
    assert not folder.exists()  # the transcript is saved: its checkpoints are gone
