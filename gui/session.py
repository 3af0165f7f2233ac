"""The open session: finished transcripts, their undo stacks, and saving as they change."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from engine.pool.jobs import Job, JobState
from engine.pool.pool import WorkerPool
from engine.transcript import Transcript
from gui.session_store import SessionStore
from gui.transcript_edits import Patch, PatchCommand, make_patch
from gui.transcript_writer import SAVE_DELAY_MS, TranscriptWriter

log = logging.getLogger(__name__)
# Progress ticks arrive many times a second; the queue file is rewritten at most this often.
QUEUE_SAVE_DELAY_MS = 150


class Session(QObject):
    """Owns the transcripts of finished jobs (the pool drops its raw copy to us on finish).

    Every edit is a `PatchCommand` on the job's own `QUndoStack`; views follow the
    fine-grained signals below, and the writer saves the result off the GUI thread.
    """

    transcriptChanged = Signal(str)  # job id: a transcript adopted or dropped as a whole
    edited = Signal(str)  # job id: any edit, done, undone or redone
    # job id, first row, rows removed, rows inserted: around a change of sentences
    sentencesAboutToChange = Signal(str, int, int, int)
    sentencesChanged = Signal(str, int, int, int)
    speakersChanged = Signal(str)  # job id: names, colours or the speaker list

    def __init__(
        self,
        pool: WorkerPool,
        store: SessionStore,
        parent: QObject | None = None,
        save_delay_ms: int = SAVE_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.pool = pool
        self.store = store
        self.writer = TranscriptWriter(store, save_delay_ms, self)
        self.writer.adopted.connect(self._adopted)
        self._transcripts: dict[str, Transcript] = {}
        self._stacks: dict[str, QUndoStack] = {}
        self._adopting: set[str] = set()
        self._save_timer = QTimer(self, singleShot=True, interval=QUEUE_SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_jobs)
        pool.jobAdded.connect(self._job_added)
        pool.jobChanged.connect(self._job_changed)
        pool.jobRemoved.connect(self._job_removed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)

    def restore(self) -> int:
        """Put the saved queue and transcripts back; returns how many jobs came back."""
        saved = self.store.load()
        self._transcripts.update(saved.transcripts)
        with self.pool.adding():
            for job in saved.jobs:
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

    def undo_stack(self, job_id: str) -> QUndoStack | None:
        """The undo stack of a job's transcript (None without a transcript)."""
        if job_id not in self._transcripts:
            return None
        if job_id not in self._stacks:
            self._stacks[job_id] = QUndoStack(self)
        return self._stacks[job_id]

    # ---- edits: each one is undoable and saved within the save delay -------------------

    def rename_speaker(self, job_id: str, index: int, name: str) -> None:
        """Give speaker `index` of job `job_id` a name."""
        self._edit(job_id, self.tr("Rename speaker"), lambda t: t.rename_speaker(index, name))

    def merge_speakers(self, job_id: str, keep: int, remove: int) -> None:
        """Fold speaker `remove` into speaker `keep`."""
        self._edit(job_id, self.tr("Merge speakers"), lambda t: t.merge_speakers(keep, remove))

    def edit_sentence(self, job_id: str, index: int, text: str) -> None:
        """Replace the text of sentence `index`."""
        self._edit(job_id, self.tr("Edit text"), lambda t: t.edit_sentence(index, text))

    def move_sentences(self, job_id: str, rows: list[int], speaker: int | None) -> None:
        """Give sentences `rows` to speaker `speaker`, or to a new speaker when None."""

        def move(t: Transcript) -> None:
            t.move_sentences(rows, t.add_speaker() if speaker is None else speaker)

        self._edit(job_id, self.tr("Move to speaker"), move)

    def split_sentence(self, job_id: str, index: int, at: int, text: str | None = None) -> None:
        """Split sentence `index` before character `at` (of `text`, its edited text if given)."""

        def split(t: Transcript) -> None:
            if text is not None and text != t.sentences[index].text:
                t.edit_sentence(index, text)
            t.split_sentence(index, at)

        self._edit(job_id, self.tr("Split sentence"), split)

    def join_with_next(self, job_id: str, index: int) -> None:
        """Join sentence `index` with the one after it."""
        self._edit(job_id, self.tr("Join sentences"), lambda t: t.join_with_next(index))

    def replace_speakers(self, job_id: str, reclustered: Transcript) -> None:
        """Take a re-clustered transcript's speakers and sentences as one undoable step."""

        def replace(t: Transcript) -> None:
            t.sentences[:] = reclustered.sentences
            t.speakers = list(reclustered.speakers)

        self._edit(job_id, self.tr("Change speakers"), replace)

    def _edit(self, job_id: str, label: str, change: Callable[[Transcript], object]) -> None:
        transcript = self._transcripts.get(job_id)
        stack = self.undo_stack(job_id)
        if transcript is None or stack is None:
            return
        patch = make_patch(transcript, change)
        if not patch.empty:
            stack.push(PatchCommand(self, job_id, patch, label))

    def apply_patch(self, job_id: str, patch: Patch) -> None:
        """Apply one edit (or its undo) and tell the views; called by the undo stack."""
        transcript = self._transcripts.get(job_id)
        if transcript is None:
            return
        removed, inserted = len(patch.old), len(patch.new)
        if removed or inserted:
            self.sentencesAboutToChange.emit(job_id, patch.start, removed, inserted)
            transcript.sentences[patch.start : patch.start + removed] = patch.new
            self.sentencesChanged.emit(job_id, patch.start, removed, inserted)
        if patch.speakers_changed:
            transcript.speakers = list(patch.new_speakers)
            self.speakersChanged.emit(job_id)
        self.writer.schedule(job_id, transcript)
        self.edited.emit(job_id)

    # ---- saving -----------------------------------------------------------------------------

    def save_jobs(self) -> None:
        """Write the queue now."""
        self._save_timer.stop()
        self.store.save_jobs(self.pool.jobs(), frozenset(self._adopting))

    def flush(self) -> None:
        """Write the queue and every pending edit, and wait for them (close, quit)."""
        self.writer.flush()
        self.save_jobs()

    def _schedule_save(self) -> None:
        if not self._save_timer.isActive():
            self._save_timer.start()

    # ---- pool events ----------------------------------------------------------------------

    def _job_added(self, job_id: str) -> None:
        self._schedule_save()

    def _job_changed(self, job_id: str) -> None:
        job = self.job(job_id)
        if job is None:
            return
        if job.state is JobState.DONE and job.transcript is not None:
            # The session owns the transcript from here; building and saving it (seconds
            # for a long file) happens on the writer thread, not in this handler.
            raw, job.transcript = job.transcript, None
            self._adopting.add(job_id)
            self.writer.adopt(job_id, raw)
        elif job.state is not JobState.DONE:
            self._drop(job_id)  # retried: the new run brings a new transcript
        self._schedule_save()

    def _adopted(self, job_id: str, generation: int, transcript: Transcript) -> None:
        if not self.writer.is_current(job_id, generation):
            return
        self._adopting.discard(job_id)
        job = self.job(job_id)
        if job is None or job.state is not JobState.DONE:
            return
        self._transcripts[job_id] = transcript
        # The transcript is on disk before the queue says "done", so a kill in between
        # never leaves a done job without its text; then its batches can go.
        self.save_jobs()
        self.pool.release_checkpoints(job_id)
        self.transcriptChanged.emit(job_id)

    def _job_removed(self, job_id: str) -> None:
        self._drop(job_id)
        self._schedule_save()

    def _drop(self, job_id: str) -> bool:
        had = self._transcripts.pop(job_id, None) is not None or job_id in self._adopting
        self._adopting.discard(job_id)
        stack = self._stacks.pop(job_id, None)
        if stack is not None:
            stack.deleteLater()
        if had:
            self.writer.forget(job_id)
            self.transcriptChanged.emit(job_id)
        return had
