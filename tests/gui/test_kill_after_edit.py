"""A kill -9 two seconds after an edit loses nothing: the edit is saved within one second."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gui.session_store import DATA_DIR_ENV
from gui.transcript_model import Column
from tests.gui.samples import save_tokened_session

ROOT = Path(__file__).resolve().parents[2]
# The real app (no workers: nothing to transcribe), which edits the restored transcript the
# way the table does once the window is up, then says so.
CHILD = r"""
import sys
from PySide6.QtCore import QTimer
import gui.app as app

make = app.create_window

def create_window(*args, **kwargs):
    window = make(*args, **kwargs)

    def edit():
        window.queue.select_job("job")
        model = window.transcript.model
        model.setData(model.index(2, 2), "Edited two seconds before the kill.")
        window.session.rename_speaker("job", 0, "Ada")
        window.session.split_sentence("job", 0, len("Good morning, "))
        print("EDITED", flush=True)

    QTimer.singleShot(0, edit)
    return window

app.create_window = create_window
app.start_workers = lambda window, settings: None
sys.exit(app.main(["funscribe"]))
"""


def wait_for_line(app: subprocess.Popen, wanted: str, timeout_s: float = 60) -> None:
    assert app.stdout is not None
    while True:
        ready, _, _ = select.select([app.stdout], [], [], timeout_s)
        if not ready:
            raise AssertionError(f"the app never printed {wanted!r}")
        line = app.stdout.readline()
        if not line:
            raise AssertionError(f"the app ended before printing {wanted!r}")
        if line.strip() == wanted:
            return


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_app_killed_two_seconds_after_an_edit_comes_back_with_the_edit(
    make_window, data_folder, speech_wav, tmp_path
):
    save_tokened_session(data_folder, speech_wav)
    env = dict(os.environ)
    env.update(
        {
            DATA_DIR_ENV: str(data_folder),
            "XDG_CONFIG_HOME": str(tmp_path / "settings"),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )
    app = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_for_line(app, "EDITED")
        with pytest.raises(subprocess.TimeoutExpired):
            app.wait(timeout=2)  # the app keeps running for two seconds after the edit
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait()

    again = make_window()  # relaunch over the same data folder
    again.queue.select_job("job")
    model = again.transcript.model
    texts = [model.index(r, Column.TEXT).data() for r in range(model.rowCount())]
    assert texts[:4] == [
        "Good morning,",
        "thank you all for coming.",
        "Thanks. Let us start with the budget.",
        "Edited two seconds before the kill.",
    ]
    assert model.index(0, Column.SPEAKER).data() == "Ada"
