"""The saved session on disk: the queue in `session.json`, each transcript in its own file.

Every write is atomic (`engine.atomic`): a crash or a kill leaves either the old or the new
version of a file, never half of one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths

from engine.atomic import write_text_atomic
from engine.pool.jobs import Job, JobState
from engine.protocol import ErrorCode, JobOptions
from engine.speakers.embeddings import SpeakerEmbeddings, sidecar_path
from engine.transcript import Sentence, Transcript

DATA_DIR_ENV = "FUNSCRIBE_DATA_DIR"
SESSION_VERSION = 1
SESSION_FILE = "session.json"
TRANSCRIPT_DIR = "transcripts"
# A job that was loading or running when the app went away starts again from the queue.
_INTERRUPTED = (JobState.LOADING, JobState.RUNNING)


def data_dir() -> Path:
    """The app's data folder: `$FUNSCRIBE_DATA_DIR`, else the platform's app-data location."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".funscribe")


def job_record(job: Job) -> dict[str, Any]:
    """What is kept of a job: identity, options and outcome, not its live progress."""
    return {
        "id": job.id,
        "path": str(job.path),
        "options": {
            "speakers": job.options.speakers,
            "hotwords": job.options.hotwords,
            "diarize": job.options.diarize,
        },
        "state": job.state.value,
        "error_code": job.error_code.value if job.error_code else None,
        "error_message": job.error_message or "",
        "audio_seconds": job.audio_seconds,
        "attempts": job.attempts,
        "finished_at": job.finished_at,
    }


def job_from_record(record: dict[str, Any]) -> Job:
    """A job to hand to `WorkerPool.restore`; an interrupted job comes back queued."""
    state = JobState(record["state"])
    if state in _INTERRUPTED:
        state = JobState.QUEUED
    ended = state in (JobState.FAILED, JobState.CANCELLED)
    code = record.get("error_code") if ended else None
    audio = record.get("audio_seconds")
    return Job(
        id=str(record["id"]),
        path=str(record["path"]),
        options=JobOptions(**record.get("options", {})),
        state=state,
        percent=100.0 if state is JobState.DONE else 0.0,
        audio_seconds=float(audio) if audio is not None else None,
        error_code=ErrorCode(code) if code else None,
        error_message=str(record.get("error_message") or "") if ended else "",
        attempts=int(record.get("attempts") or 0),
        finished_at=record.get("finished_at") if state.finished else None,
    )


@dataclass
class Saved:
    """A session read back from disk."""

    jobs: list[Job] = field(default_factory=list)
    transcripts: dict[str, Transcript] = field(default_factory=dict)


class SessionStore:
    """Reads and writes one session folder; skips writes that would change nothing."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._last_jobs: str | None = None

    @property
    def session_file(self) -> Path:
        """Where the queue is kept."""
        return self.folder / SESSION_FILE

    def transcript_file(self, job_id: str) -> Path:
        """Where job `job_id`'s transcript (with the user's edits) is kept."""
        return self.folder / TRANSCRIPT_DIR / f"{job_id}.json"

    def save_jobs(self, jobs: list[Job], unsaved: frozenset[str] = frozenset()) -> bool:
        """Write the queue if it differs from the last write; True when it wrote.

        Jobs in `unsaved` are done but their transcript is not on disk yet: they are kept as
        running, so after a crash they run again instead of coming back without text.
        """
        records = [job_record(job) for job in jobs]
        for record in records:
            if record["id"] in unsaved:
                record["state"] = JobState.RUNNING.value
        body = {"version": SESSION_VERSION, "jobs": records}
        text = json.dumps(body, ensure_ascii=False, indent=1)
        if text == self._last_jobs:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.session_file, text)
        self._last_jobs = text
        return True

    def save_transcript(
        self,
        job_id: str,
        transcript: Transcript,
        encode: Callable[[Sentence], str] | None = None,
    ) -> None:
        """Write one transcript, edits included (compact: only FunScribe reads it back)."""
        path = self.transcript_file(job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, transcript.to_json(compact=True, encode=encode))

    def save_speaker_embeddings(self, job_id: str, embeddings: SpeakerEmbeddings) -> None:
        """Keep a job's speaker embeddings beside its transcript (before the transcript, so a
        saved transcript that has them always finds them)."""
        path = self.transcript_file(job_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        embeddings.save(sidecar_path(path))

    def forget(self, job_id: str) -> None:
        """Delete a removed job's transcript file and its speaker embeddings."""
        self.transcript_file(job_id).unlink(missing_ok=True)
        sidecar_path(self.transcript_file(job_id)).unlink(missing_ok=True)

    def load(self) -> Saved:
        """The saved session; a missing or unreadable file gives an empty one."""
        saved = Saved()
        try:
            body = json.loads(self.session_file.read_text(encoding="utf-8"))
            records = body["jobs"] if body.get("version") == SESSION_VERSION else []
        except (OSError, ValueError, KeyError, TypeError):
            return saved
        for record in records:
            try:
                job = job_from_record(record)
            except (KeyError, ValueError, TypeError):
                continue
            if job.state is JobState.DONE:
                transcript = self._load_transcript(job.id)
                if transcript is None:
                    continue  # a done job without its transcript is of no use
                saved.transcripts[job.id] = transcript
            saved.jobs.append(job)
        return saved

    def _load_transcript(self, job_id: str) -> Transcript | None:
        try:
            return Transcript.load(self.transcript_file(job_id))
        except (OSError, ValueError, KeyError, TypeError):
            return None
