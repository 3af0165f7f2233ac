"""Queue rows follow the pool; the toolbar's queue actions act on the selected rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl

from engine.pool.jobs import Job, JobState
from engine.protocol import ErrorCode
from gui.queue_model import Column


def rows(window) -> list[tuple[str, str]]:
    model = window.queue_model
    return [
        (model.index(r, Column.NAME).data(), model.index(r, Column.STATUS).data())
        for r in range(model.rowCount())
    ]


def queued_window(make_window, tmp_path, names=("a", "b", "c")):
    window = make_window()  # pool not started: every job stays queued
    for name in names:
        (tmp_path / f"{name}.wav").write_bytes(b"")
    window.add_paths([tmp_path / f"{name}.wav" for name in names])
    return window


def test_moving_a_queued_row_down_reorders_the_queue_and_keeps_it_selected(make_window, tmp_path):
    window = queued_window(make_window, tmp_path)
    window.queue.select_job(window.pool.jobs()[0].id)

    window.toolbar_actions.move_down.trigger()

    assert [name for name, _ in rows(window)] == ["b.wav", "a.wav", "c.wav"]
    assert window.queue.selected_ids() == [window.pool.jobs()[1].id]
    window.toolbar_actions.move_up.trigger()
    assert [name for name, _ in rows(window)] == ["a.wav", "b.wav", "c.wav"]


def test_cancelling_a_queued_row_marks_it_cancelled_and_retry_queues_it_again(
    make_window, tmp_path
):
    window = queued_window(make_window, tmp_path)
    job_id = window.pool.jobs()[1].id
    window.queue.select_job(job_id)

    window.toolbar_actions.cancel.trigger()
    assert rows(window)[1] == ("b.wav", "Cancelled")
    assert window.toolbar_actions.retry.isEnabled()

    window.toolbar_actions.retry.trigger()
    assert rows(window)[1] == ("b.wav", "Queued")


def test_removing_rows_and_clearing_finished_ones(make_window, tmp_path):
    window = queued_window(make_window, tmp_path)
    first, second, _ = (job.id for job in window.pool.jobs())
    window.queue.select_job(first)
    window.toolbar_actions.remove.trigger()
    assert [name for name, _ in rows(window)] == ["b.wav", "c.wav"]

    window.pool.cancel(second)
    assert window.toolbar_actions.clear.isEnabled()
    window.toolbar_actions.clear.trigger()
    assert [name for name, _ in rows(window)] == ["c.wav"]


def test_a_failed_row_shows_its_error_message(make_window, saved_session, data_folder):
    from gui.session_store import SessionStore

    job = Job(id="bad", path="/x/silent.mp4", state=JobState.FAILED)
    job.error_code, job.error_message = ErrorCode.NO_AUDIO_STREAM, "no audio stream in silent.mp4"
    SessionStore(data_folder).save_jobs([job])
    window = make_window()

    assert rows(window) == [("silent.mp4", "Failed: no audio stream in silent.mp4")]


def test_open_output_folder_opens_the_chosen_export_folder(make_window, tmp_path, monkeypatch):
    from gui.settings import Key

    window = queued_window(make_window, tmp_path, names=("a",))
    window.settings.set_value(Key.OUTPUT_DIR, str(tmp_path / "out"))
    opened: list[QUrl] = []
    window.open_url = opened.append
    window.queue.select_job(window.pool.jobs()[0].id)

    window.toolbar_actions.open_folder.trigger()

    assert [Path(url.toLocalFile()) for url in opened] == [tmp_path / "out"]
