"""The saved session: what is kept of each job, atomic writes, and tolerant reading."""

from __future__ import annotations

import json

from engine.pool.jobs import Job, JobState
from engine.protocol import ErrorCode, JobOptions
from engine.transcript import Transcript
from gui.session_store import SessionStore, job_from_record, job_record
from tests.gui.samples import worker_transcript


def test_a_job_that_was_running_comes_back_queued_with_its_options():
    job = Job(id="a", path="/x.wav", options=JobOptions(speakers=2, hotwords="FunASR"))
    job.state = JobState.RUNNING
    job.percent = 40.0

    back = job_from_record(job_record(job))

    assert back.state is JobState.QUEUED
    assert back.percent == 0.0
    assert back.options == JobOptions(speakers=2, hotwords="FunASR", diarize=True)


def test_a_failed_job_keeps_its_error_code_and_message():
    job = Job(id="b", path="/y.mp4", state=JobState.FAILED)
    job.error_code, job.error_message = ErrorCode.NO_AUDIO_STREAM, "no audio stream in y.mp4"

    back = job_from_record(job_record(job))

    assert back.state is JobState.FAILED
    assert back.error_code is ErrorCode.NO_AUDIO_STREAM
    assert back.error_message == "no audio stream in y.mp4"


def test_the_queue_file_is_rewritten_only_when_something_kept_changed(tmp_path):
    store = SessionStore(tmp_path)
    job = Job(id="c", path="/z.wav")
    assert store.save_jobs([job]) is True
    job.percent = 12.0  # live progress is not kept
    assert store.save_jobs([job]) is False
    job.state = JobState.CANCELLED
    assert store.save_jobs([job]) is True
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]  # no temporary files left


def test_a_done_job_comes_back_with_its_edited_transcript(tmp_path):
    store = SessionStore(tmp_path)
    transcript = Transcript.from_worker_result(worker_transcript("/a.wav"))
    transcript.rename_speaker(1, "Bob")
    transcript.edit_sentence(0, "Good morning, everyone.")
    store.save_transcript("d", transcript)
    store.save_jobs([Job(id="d", path="/a.wav", state=JobState.DONE), Job(id="e", path="/b.wav")])

    saved = SessionStore(tmp_path).load()

    assert [(j.id, j.state) for j in saved.jobs] == [("d", JobState.DONE), ("e", JobState.QUEUED)]
    assert saved.transcripts["d"].speaker_name(1) == "Bob"
    assert saved.transcripts["d"].sentences[0].text == "Good morning, everyone."


def test_a_done_job_whose_transcript_file_is_missing_is_dropped(tmp_path):
    store = SessionStore(tmp_path)
    store.save_jobs([Job(id="f", path="/a.wav", state=JobState.DONE)])

    assert SessionStore(tmp_path).load().jobs == []


def test_an_unreadable_session_file_gives_an_empty_session(tmp_path):
    (tmp_path / "session.json").write_text("{ not json")
    assert SessionStore(tmp_path).load().jobs == []
    (tmp_path / "session.json").write_text(json.dumps({"version": 99, "jobs": [{}]}))
    assert SessionStore(tmp_path).load().jobs == []
