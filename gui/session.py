"""The open session: finished transcripts with the user's edits, saved as they change."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from engine.pool.jobs import Job, JobState
from engine.pool.pool import WorkerPool
from engine.transcript import Transcript
from gui.session_store import SessionStore

log = logging.getLogger(__name__)
# Progress ticks arrive many times a second; the queue file is rewritten at most this often.
SAVE_DELAY_MS = 150


class Session(QObject):
    """Owns the transcripts of finished jobs; keeps the store in step with pool and edits."""

    transcriptChanged = Signal(str)  # job id: adopted, edited, or dropped

    def __init__(self, pool: WorkerPool, store: SessionStore, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = pool
        self.store = store
        self._transcripts: dict[str, Transcript] = {}
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_jobs)
        pool.jobAdded.connect(self._job_added)
        pool.jobChanged.connect(self._job_changed)
        pool.jobRemoved.connect(self._job_removed)

    def restore(self) -> int:
        """Put the saved queue and transcripts back; returns how many jobs came back."""
        saved = self.store.load()
        self._transcripts.update(saved.transcripts)
        for job in saved.jobs:
            if job.id in saved.transcripts:
                job.transcript = saved.transcripts[job.id].to_dict()
            self.pool.restore(job)
        return len(saved.jobs)

    def job(self, job_id: str | None) -> Job | None:
        """The pool's job with this id, or None (the pool raises for unknown ids)."""
        try:
            return self.pool.job(job_id) if job_id else None
        except KeyError:
            return None

    def transcript(self, job_id: str) -> Transcript | None:
        """The (possibly edited) transcript of a finished job."""
        return self._transcripts.get(job_id)

    def speakers_found(self, job_id: str) -> int | None:
        """Speakers left in the edited transcript (merges count), or None without one."""
        transcript = self._transcripts.get(job_id)
        return None if transcript is None else len(transcript.speakers)

    def finished_ids(self) -> list[str]:
        """Ids of jobs with a transcript, in queue order."""
        return [job.id for job in self.pool.jobs() if job.id in self._transcripts]

    # ---- edits: each one is saved at once -----------------------------------------------

    def rename_speaker(self, job_id: str, index: int, name: str) -> None:
        """Give speaker `index` of job `job_id` a name."""
        self._edit(job_id, lambda t: t.rename_speaker(index, name))

    def merge_speakers(self, job_id: str, keep: int, remove: int) -> None:
        """Fold speaker `remove` into speaker `keep`."""
        self._edit(job_id, lambda t: t.merge_speakers(keep, remove))

    def edit_sentence(self, job_id: str, index: int, text: str) -> None:
        """Replace the text of sentence `index`."""
        self._edit(job_id, lambda t: t.edit_sentence(index, text))

    def _edit(self, job_id: str, change: Callable[[Transcript], None]) -> None:
        transcript = self._transcripts.get(job_id)
        if transcript is None:
            return
        change(transcript)
        self.store.save_transcript(job_id, transcript)
        self.transcriptChanged.emit(job_id)

    # ---- pool events ----------------------------------------------------------------------

    def save_jobs(self) -> None:
        """Write the queue now (also called on close)."""
        self._save_timer.stop()
        self.store.save_jobs(self.pool.jobs())

    def _schedule_save(self) -> None:
        if not self._save_timer.isActive():
            self._save_timer.start()

    def _job_added(self, job_id: str) -> None:
        self._schedule_save()

    def _job_changed(self, job_id: str) -> None:
        job = self.job(job_id)
        if job is None:
            return
        if job.state is JobState.DONE and job_id not in self._transcripts and job.transcript:
            try:
                transcript = Transcript.from_worker_result(job.transcript)
            except ValueError:
                log.exception("job %s: unreadable transcript from the worker", job_id)
                return
            self._transcripts[job_id] = transcript
            # The transcript is on disk before the queue says "done", so a kill in between
            # never leaves a done job without its text.
            self.store.save_transcript(job_id, transcript)
            self.save_jobs()
            self.transcriptChanged.emit(job_id)
            return
        if job.state is not JobState.DONE and self._transcripts.pop(job_id, None) is not None:
            self.store.forget(job_id)  # retried: the new run brings a new transcript
            self.transcriptChanged.emit(job_id)
        self._schedule_save()

    def _job_removed(self, job_id: str) -> None:
        if self._transcripts.pop(job_id, None) is not None:
            self.store.forget(job_id)
            self.transcriptChanged.emit(job_id)
        self._schedule_save()
