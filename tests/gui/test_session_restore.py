"""Nothing is lost: a closed or killed window comes back with its queue, transcripts and edits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine.pool.jobs import JobState
from gui.session_store import DATA_DIR_ENV
from gui.settings import MODELS_ENV, Key
from gui.transcript_model import Column
from tests.gui.conftest import copy_as

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def states(window) -> list[tuple[str, JobState]]:
    return [(Path(job.path).name, job.state) for job in window.pool.jobs()]


def test_a_closed_window_restores_one_done_and_two_queued_jobs_with_the_users_edits(
    make_window, model_dir, speech_wav, long_wav, tmp_path, qtbot
):
    short = copy_as(speech_wav, tmp_path / "in", "short.wav")
    longer = copy_as(long_wav, tmp_path / "in", "long1.wav", "long2.wav")
    window = make_window(models=model_dir, workers=1)
    window.pool.start()
    first, *_ = window.add_paths([*short, *longer])
    # Done in the pool, then the session builds its transcript off the GUI thread.
    qtbot.waitUntil(lambda: window.session.transcript(first) is not None, timeout=120_000)
    window.queue.select_job(first)
    view = window.transcript
    view.rename_speaker(0, "Ada")
    assert view.model.setData(view.model.index(0, Column.TEXT), "Edited by hand.")

    window.close()  # the second job is still running, the third queued
    window.pool.shutdown(3000)
    again = make_window(models=model_dir, workers=1)

    assert states(again) == [
        ("short.wav", JobState.DONE),
        ("long1.wav", JobState.QUEUED),
        ("long2.wav", JobState.QUEUED),
    ]
    again.queue.select_job(again.pool.jobs()[0].id)
    model = again.transcript.model
    assert model.index(0, Column.TEXT).data() == "Edited by hand."
    assert model.index(0, Column.SPEAKER).data() == "Ada"


def test_a_killed_app_restores_its_done_job_and_requeues_the_one_that_was_running(
    make_window, model_dir, speech_wav, long_wav, tmp_path, qtbot, private_settings, data_folder
):
    short = copy_as(speech_wav, tmp_path / "in", "short.wav")
    longer = copy_as(long_wav, tmp_path / "in", "long1.wav", "long2.wav")
    private_settings.set_value(Key.WORKERS, 1)
    private_settings.set_value(Key.THREADS, 1)
    private_settings.sync()
    env = dict(os.environ)
    env.update(
        {
            MODELS_ENV: str(model_dir),
            DATA_DIR_ENV: str(data_folder),
            # The child's QSettings INI lives where this test's private settings live.
            "XDG_CONFIG_HOME": str(tmp_path / "settings"),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )
    app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from gui.app import main; sys.exit(main())",
            *map(str, [*short, *longer]),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    session_file = data_folder / "session.json"

    def saved_states() -> list[str]:
        try:
            return [j["state"] for j in json.loads(session_file.read_text())["jobs"]]
        except (OSError, ValueError, KeyError):
            return []

    try:
        qtbot.waitUntil(lambda: saved_states()[:2] == ["done", "running"], timeout=120_000)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()

    window = make_window(models=model_dir, workers=1)

    assert states(window) == [
        ("short.wav", JobState.DONE),
        ("long1.wav", JobState.QUEUED),
        ("long2.wav", JobState.QUEUED),
    ]
    window.queue.select_job(window.pool.jobs()[0].id)
    assert window.transcript.model.rowCount() >= 1
