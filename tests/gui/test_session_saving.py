"""The session saves off the GUI thread: at most a second late, newest version wins, and a
finished job's raw result becomes the session's transcript (the pool keeps no copy)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from engine.pool.jobs import Job, JobState
from engine.transcript import Transcript
from gui.session_store import SessionStore
from gui.transcript_writer import TranscriptWriter
from tests.gui.samples import save_tokened_session, tokened_result, worker_transcript


def writer_over(folder: Path, source: Path, delay_ms: int):
    """A store, a writer with this delay, a transcript, and the generations written."""
    store = SessionStore(folder)
    writer = TranscriptWriter(store, delay_ms=delay_ms)
    transcript = Transcript.from_worker_result(tokened_result(str(source)))
    writes: list[int] = []
    writer.written.connect(lambda _job, generation: writes.append(generation))
    return store, writer, transcript, writes


def test_edits_within_the_delay_are_saved_once_and_the_newest_version_wins(
    qtbot, data_folder: Path, speech_wav: Path
):
    store, writer, transcript, writes = writer_over(data_folder, speech_wav, 200)

    with qtbot.waitSignal(writer.written, timeout=5000):
        for n in range(5):
            transcript.edit_sentence(0, f"Edit number {n}.")
            writer.schedule("job", transcript)

    writer.flush()
    assert writes == [1]  # five edits, one write
    saved = Transcript.load(store.transcript_file("job"))
    assert saved.sentences[0].text == "Edit number 4."
    writer.close()


def test_an_older_version_queued_behind_a_newer_one_is_skipped(
    qtbot, data_folder: Path, speech_wav: Path
):
    store, writer, transcript, writes = writer_over(data_folder, speech_wav, 60_000)
    blocked = threading.Event()
    writer._tasks.put(blocked.wait)  # hold the thread so both versions queue up

    transcript.edit_sentence(0, "Old.")
    writer.schedule("job", transcript)
    writer.write_dirty()
    transcript.edit_sentence(0, "New.")
    writer.schedule("job", transcript)
    writer.write_dirty()
    blocked.set()
    writer.flush()
    qtbot.waitUntil(lambda: writes == [2])

    assert Transcript.load(store.transcript_file("job")).sentences[0].text == "New."
    writer.close()


def test_a_removed_job_loses_its_file_even_with_a_save_pending(
    qtbot, data_folder: Path, speech_wav: Path
):
    store, writer, transcript, _ = writer_over(data_folder, speech_wav, 60_000)
    store.save_transcript("job", transcript)
    writer.schedule("job", transcript)

    writer.forget("job")
    writer.flush()

    assert not store.transcript_file("job").exists()
    writer.close()


def test_closing_the_window_writes_an_edit_at_once(make_window, data_folder, speech_wav):
    save_tokened_session(data_folder, speech_wav)
    window = make_window()
    window.session.edit_sentence("job", 1, "Changed just before closing.")
    file = window.session.store.transcript_file("job")
    assert "Changed just before closing." not in file.read_text(encoding="utf-8")

    window.close()

    assert "Changed just before closing." in file.read_text(encoding="utf-8")


def test_a_finished_job_becomes_the_sessions_transcript_and_the_pool_drops_its_copy(
    make_window, qtbot, data_folder, speech_wav
):
    window = make_window()
    session, pool = window.session, window.pool
    job = Job(id="new", path=str(speech_wav), state=JobState.DONE, percent=100.0)
    job.transcript = worker_transcript(str(speech_wav))
    pool.restore(job)

    with qtbot.waitSignal(session.transcriptChanged, timeout=10_000):
        pool.jobChanged.emit("new")  # as the pool says when a worker's result arrives
        assert job.transcript is None  # handed over at once, built off the GUI thread

    assert session.transcript("new").sentences[0].text.startswith("Good morning")
    assert session.speakers_found("new") == 2
    assert window.queue_model.index(0, 6).data() == "2"
    records = json.loads((data_folder / "session.json").read_text(encoding="utf-8"))["jobs"]
    assert records[0]["state"] == "done"
    assert session.store.transcript_file("new").exists()


def test_until_its_transcript_is_on_disk_a_finished_job_is_saved_as_running(
    data_folder, speech_wav
):
    store = SessionStore(data_folder)
    job = Job(id="j", path=str(speech_wav), state=JobState.DONE, percent=100.0)

    store.save_jobs([job], unsaved=frozenset({"j"}))

    (back,) = store.load().jobs
    assert back.state is JobState.QUEUED  # it runs again rather than coming back empty
