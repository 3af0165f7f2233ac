"""The job queue and the workers that run it; knows nothing about widgets.

Jobs run in queue order on whichever worker is free. A worker is assigned its next job while
its models still load (the job shows as LOADING). Each worker lives in a `WorkerSlot`, which
restarts it when it dies and gives up (the slot is *broken*) after a few deaths in a row; a job
whose worker died mid-job is retried once. When every slot is broken, queued jobs fail with
the reason rather than wait forever, and new work tries the slots afresh.

Given a checkpoint folder, every file runs as a set of batches (plan, batches, assembly),
each batch saved as it finishes; engine.pool.split says which worker runs which part.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal

from engine.batches import store
from engine.pool.config import PoolConfig
from engine.pool.durations import FileDurations
from engine.pool.eta import apply_progress
from engine.pool.job_ends import MAX_CRASHES, PART_LOST, Crashes, state_after
from engine.pool.job_queue import JobQueue
from engine.pool.jobs import Job, JobState
from engine.pool.slot import WorkerSlot
from engine.pool.slots import WorkerSlots
from engine.pool.split import Part, SplitFiles
from engine.protocol import (
    BatchDone,
    Error,
    ErrorCode,
    JobOptions,
    Planned,
    Progress,
    Result,
    Segment,
    Transcribe,
)

__all__ = ["MAX_CRASHES", "PoolConfig", "WorkerPool"]


class WorkerPool(QObject):
    """Runs submitted files on N warm workers; every job change is announced by a signal."""

    jobAdded = Signal(str)
    jobChanged = Signal(str)  # state, stage, percent or ETA
    jobRemoved = Signal(str)
    orderChanged = Signal()  # move() reordered the queue
    segmentReceived = Signal(str, object)  # job id, Segment
    # A part of a split file ended: job id, part, batch (or -1), worker pid, reused (a batch
    # that was saved already and did not run again)
    partEnded = Signal(str, str, int, int, bool)
    workersChanged = Signal(int, int)  # busy, total
    brokenChanged = Signal()  # a worker slot broke or was revived; see broken_reasons()
    idle = Signal()  # nothing queued, nothing running

    def __init__(
        self,
        config: PoolConfig,
        parent: QObject | None = None,
        checkpoints: str | None = None,
        owner_releases_checkpoints: bool = False,
    ) -> None:
        super().__init__(parent)
        self._config = config
        # Files run as batches, checkpointed under this folder (None: whole files); short
        # ones whole while the queue is long (engine.pool.split, rule 3).
        durations = FileDurations() if config.whole_files_while_queued else None
        self._split = SplitFiles(checkpoints, durations) if checkpoints else None
        # True: a done file's checkpoints stay until release_checkpoints(), which the owner
        # calls once the transcript is on its disk (a kill in between loses nothing).
        self._owner_releases = owner_releases_checkpoints
        self._jobs = JobQueue()
        self._slots = WorkerSlots()
        self._crashes = Crashes()
        self._cancelling: set[str] = set()
        self._started = self._closing = self._had_work = False
        self._holding = 0  # inside adding(): submitted files wait for the last one
        self._workers_shown = (-1, -1)
        self._broken_shown: list[str] = []

    # ---- workers ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers (they load their models once and are reused)."""
        if self._started:
            return
        self._started = True
        if self._split is not None:
            for job in self._jobs.all():
                if job.state is JobState.DONE:  # restored done: its transcript was saved
                    store.remove(self._split.folder(job.id))
            keep = {job.id for job in self._jobs.all() if job.state is not JobState.DONE}
            store.prune(self._split.root, keep)  # checkpoints of forgotten jobs, size-bounded
        for _ in range(self._config.worker_total()):
            self._add_slot()
        self._dispatch()

    @property
    def worker_count(self) -> int:
        """Worker processes alive (starting, loading, ready or stopping)."""
        return len(self._slots.handles())

    @property
    def ready_count(self) -> int:
        """Workers with their models loaded."""
        return self._slots.ready_count()

    @property
    def busy_count(self) -> int:
        """Workers holding a job."""
        return self._slots.busy_count()

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers."""
        return self._slots.pids()

    def workers_on(self, job_id: str) -> list[int]:
        """Process ids of the workers running a part of `job_id` (a whole file: one)."""
        return self._slots.pids(job_id)

    def broken_reasons(self) -> list[str]:
        """Why each broken worker slot gave up (empty while every slot works)."""
        return [error.message for error in self._slots.broken()]

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop every worker and wait until they are gone; running jobs go back to QUEUED."""
        self._closing = True
        self._slots.close(timeout_ms)
        self._show_workers()

    def reconfigure(self, config: PoolConfig) -> None:
        """Run under `config` from now on: idle workers restart at once, busy ones after
        their job, and the pool grows or shrinks to the new worker count. No job is lost;
        broken slots try again."""
        if config == self._config:
            return
        self._config = config
        if not self._started or self._closing:
            return
        for _ in range(self._slots.resize(config.worker_total())):
            self._add_slot()
        self._dispatch()

    def _add_slot(self) -> None:
        slot = WorkerSlot(lambda: self._config, self)
        self._slots.all.append(slot)
        slot.ready.connect(lambda _hello, s=slot: self._on_ready(s))
        slot.progressed.connect(lambda job, p, s=slot: self._on_progress(s, job, p))
        slot.segmented.connect(self._on_segment)
        slot.jobEnded.connect(lambda job, end, s=slot: self._on_ended(s, job, end))
        slot.changed.connect(self._on_slot_changed)
        slot.retired.connect(lambda s=slot: self._on_retired(s))
        slot.start()

    def _on_slot_changed(self) -> None:
        self._show_workers()
        reasons = self.broken_reasons()
        if reasons != self._broken_shown:
            self._broken_shown = reasons
            self.brokenChanged.emit()
        if reasons and not self._closing and not self._slots.any_usable():
            self._fail_queued(self._slots.broken()[0])
        self._dispatch()

    def _on_retired(self, slot: WorkerSlot) -> None:
        if slot in self._slots.all:
            self._slots.all.remove(slot)
            slot.deleteLater()
        self._on_slot_changed()

    def _show_workers(self) -> None:
        shown = (self.busy_count, self.worker_count)
        if shown != self._workers_shown:
            self._workers_shown = shown
            self.workersChanged.emit(*shown)

    # ---- jobs ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def adding(self) -> Iterator[None]:
        """Submit several files inside: nothing starts until the last is queued (whether a
        short file runs whole depends on the files queued behind it)."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            self._dispatch()

    def submit(self, path: str, options: JobOptions | None = None) -> str:
        """Queue a file; returns the new job's id."""
        job = Job(id=uuid.uuid4().hex[:12], path=str(path), options=options or JobOptions())
        self._add(job)
        return job.id

    def restore(self, job: Job) -> None:
        """Add a job as it was saved; one that was loading or running is queued again."""
        if self._jobs.get(job.id) is not None:
            raise ValueError(f"job {job.id} is already in the pool")
        if job.state.active:
            job.move_to(JobState.QUEUED)
            job.reset_attempt()
        self._add(job)

    def _add(self, job: Job) -> None:
        self._jobs.add(job)
        self._had_work = self._had_work or job.state is JobState.QUEUED
        self.jobAdded.emit(job.id)
        self._revive()
        self._dispatch()

    def _revive(self) -> None:
        # New work while every slot is broken: try them afresh (a user action, so a worker
        # that can never start costs a few attempts per submit, never an endless loop).
        if self._started and not self._closing and not self._slots.any_usable():
            for slot in self._slots.all:
                slot.revive()

    def jobs(self) -> list[Job]:
        """Every job, in queue order."""
        return self._jobs.all()

    def job(self, job_id: str) -> Job:
        """The job with this id (KeyError if unknown)."""
        return self._jobs[job_id]

    def cancel(self, job_id: str) -> None:
        """A queued job never starts; a running one is stopped (its end arrives as a signal)."""
        job = self._jobs.get(job_id)
        if job is None:
            return
        if job.state is JobState.QUEUED:
            self._finish(job, JobState.CANCELLED, Error(job.id, ErrorCode.CANCELLED, "cancelled"))
        elif job.state.active:
            self._cancelling.add(job_id)
            holders = self._slots.handles(job_id)
            for handle in holders:
                handle.cancel()
            if not holders:  # a split file between parts: nothing runs to answer the cancel
                self._cancelling.discard(job_id)
                if self._split is not None:
                    self._split.forget(job_id)
                self._finish(
                    job, JobState.CANCELLED, Error(job.id, ErrorCode.CANCELLED, "cancelled")
                )

    def retry(self, job_id: str) -> bool:
        """Queue a failed or cancelled job again; False if it is in another state."""
        job = self._jobs.get(job_id)
        if job is None or job.state not in (JobState.FAILED, JobState.CANCELLED):
            return False
        self._crashes.forget(job_id)
        job.move_to(JobState.QUEUED)
        job.reset_attempt()
        self._had_work = True
        self.jobChanged.emit(job_id)
        self._revive()
        self._dispatch()
        return True

    def remove(self, job_id: str) -> bool:
        """Forget a job that is not loading or running; False otherwise."""
        job = self._jobs.get(job_id)
        if job is None or job.state.active:
            return False
        self._jobs.remove(job_id)
        self._crashes.forget(job_id)
        if self._split is not None:
            store.remove(self._split.folder(job_id))
        self.jobRemoved.emit(job_id)
        self._check_idle()
        return True

    def release_checkpoints(self, job_id: str) -> None:
        """The owner saved `job_id`'s transcript: its batches are not needed any more."""
        job = self._jobs.get(job_id)
        if self._split is not None and job is not None and job.state is JobState.DONE:
            store.remove(self._split.folder(job_id))

    def move(self, job_id: str, delta: int) -> None:
        """Move a queued job `delta` places among the queued jobs (negative: sooner)."""
        if not self._jobs.move(job_id, delta):
            return
        self.orderChanged.emit()
        self.jobChanged.emit(job_id)

    def clear_finished(self) -> None:
        """Remove every done, failed and cancelled job."""
        for job in [j for j in self._jobs.all() if j.state.finished]:
            self.remove(job.id)

    # ---- dispatch and worker events -------------------------------------------------------

    def _dispatch(self) -> None:
        if not self._started or self._closing or self._holding:
            return
        queued = self._jobs.queued()
        for slot in self._slots.all:
            handle = slot.handle
            if handle is None or not handle.accepting:
                continue
            if self._split is not None:
                self._dispatch_part(slot, queued)
                continue
            if not queued:
                break
            job = queued.pop(0)
            self._start_attempt(job, slot)
            handle.run(Transcribe(job=job.id, path=job.path, options=job.options))
            self.jobChanged.emit(job.id)
        self._show_workers()

    def _dispatch_part(self, slot: WorkerSlot, queued: list[Job]) -> None:
        assert self._split is not None and slot.handle is not None
        work = self._split.next_work(slot, queued, self._config.worker_total())
        if work is None:
            return
        if work.part in (Part.PLAN, Part.WHOLE):
            queued.remove(work.job)
            self._start_attempt(work.job, slot)
        if work.part is not Part.WHOLE:  # a whole file ends as in a pool without batches
            self._split.started(work, slot)
        slot.handle.run(work.command(self._split.folder(work.job.id)))
        self.jobChanged.emit(work.job.id)

    def _start_attempt(self, job: Job, slot: WorkerSlot) -> None:
        handle = slot.handle
        assert handle is not None
        job.reset_attempt()
        job.attempts += 1
        job.worker_pid = handle.pid
        if handle.is_ready:
            job.move_to(JobState.RUNNING)
            job.started_at = time.time()
        else:
            job.move_to(JobState.LOADING)

    def _on_ready(self, slot: WorkerSlot) -> None:
        handle = slot.handle
        job = self._jobs.get(handle.job_id or "") if handle is not None else None
        if handle is not None and job is not None and job.state is JobState.LOADING:
            job.move_to(JobState.RUNNING)
            job.started_at = time.time()
            job.worker_pid = handle.pid
            self.jobChanged.emit(job.id)
        self._dispatch()

    def _on_progress(self, slot: WorkerSlot, job_id: str, progress: Progress) -> None:
        job = self._jobs.get(job_id)
        if job is None or job.state is not JobState.RUNNING:
            return
        file = self._split.files.get(job_id) if self._split is not None else None
        shown = progress if file is None else file.shown_progress(slot, progress)
        if shown is not None:
            apply_progress(job, shown, slot.throughput)
            self.jobChanged.emit(job_id)

    def _on_segment(self, job_id: str, segment: Segment) -> None:
        self.segmentReceived.emit(job_id, segment)

    def _on_ended(self, slot: WorkerSlot, job_id: str, end: object) -> None:
        job = self._jobs.get(job_id)
        if job is None or not job.state.active:
            return
        requested = job_id in self._cancelling
        split = self._split is not None and job_id in self._split.files
        if split and self._on_part_ended(slot, job, end, requested):
            self._dispatch()
            return
        self._cancelling.discard(job_id)
        if isinstance(end, Result):
            job.transcript = end.transcript
            job.audio_seconds = end.stats.get("audio_seconds", job.audio_seconds)
            job.percent, job.eta_seconds = 100.0, 0.0
            self._finish(job, JobState.DONE, None)
            wall = (job.finished_at or 0) - (job.started_at or 0)
            slot.throughput.add(job.audio_seconds or 0, wall)
            if self._split is not None and not self._owner_releases:
                store.remove(self._split.folder(job_id))  # the transcript is with its owner now
        elif isinstance(end, Error):
            self._finish(job, state_after(job.id, end, requested, self._crashes), end)
        if split:
            self._stop_parts(job_id, slot)
        self._dispatch()

    def _on_part_ended(self, slot: WorkerSlot, job: Job, end: object, requested: bool) -> bool:
        """A part of a split file ended; True if that is handled here, False if the file
        ends with `end` as a whole file would (its other parts are stopped)."""
        assert self._split is not None
        file = self._split.files[job.id]
        pid = slot.handle.pid if slot.handle is not None and slot.handle.pid else 0
        if isinstance(end, Planned | BatchDone) and requested:
            # The cancel crossed this end on its way: the file ends cancelled now.
            cancelled = Error(job.id, ErrorCode.CANCELLED, "cancelled")
            return self._end_split_file(job, slot, JobState.CANCELLED, cancelled)
        if isinstance(end, Planned):
            self._split.planned(job.id, end.batch_ms, end.done, end.audio_ms)
        elif isinstance(end, BatchDone):
            self._split.batch_done(job.id, end.index)
        if isinstance(end, Planned | BatchDone):
            apply_progress(job, file.asr_progress(), slot.throughput)
            self.jobChanged.emit(job.id)
            index, reused = (end.index, end.reused) if isinstance(end, BatchDone) else (-1, False)
            part = Part.BATCH if isinstance(end, BatchDone) else Part.PLAN
            self.partEnded.emit(job.id, part.value, index, pid, reused)
            return True
        lost = isinstance(end, Error) and end.code in PART_LOST and file.batch_ms is not None
        if lost and not requested and not self._closing:
            # A batch or the assembly lost its worker: it runs again; saved batches stay.
            assert isinstance(end, Error)
            self._split.part_lost(job.id, slot)
            if end.code is not ErrorCode.WORKER_CRASHED:
                return True
            if self._crashes.add(job.id):
                return True
            # The last crash allowed (counted just now): the file fails with it.
            return self._end_split_file(job, slot, JobState.FAILED, end)
        if isinstance(end, Result):
            self.partEnded.emit(job.id, Part.ASSEMBLE.value, -1, pid, False)
        self._split.forget(job.id)
        return False

    def _end_split_file(self, job: Job, slot: WorkerSlot, state: JobState, error: Error) -> bool:
        """A split file ends here in `state`: its other parts are stopped. True (handled)."""
        assert self._split is not None
        self._split.forget(job.id)
        self._cancelling.discard(job.id)
        self._finish(job, state, error)
        self._stop_parts(job.id, slot)
        return True

    def _stop_parts(self, job_id: str, ended: WorkerSlot) -> None:
        """After a split file ended: stop its parts still running on other workers (their
        ends, some at once, find the file finished and change nothing)."""
        for handle in self._slots.handles(job_id):
            if handle is not ended.handle:
                handle.cancel()

    def _finish(self, job: Job, state: JobState, error: Error | None) -> None:
        job.move_to(state)
        if state is JobState.QUEUED:
            job.reset_attempt()
        else:
            job.finished_at = time.time()
            job.eta_seconds = None if state is not JobState.DONE else 0.0
            if error is not None:
                job.error_code, job.error_message = error.code, error.message
                job.error_detail = error.detail
        self.jobChanged.emit(job.id)
        self._check_idle()

    def _fail_queued(self, why: Error) -> None:
        for job in self._jobs.queued():
            self._finish(job, JobState.FAILED, why)

    def _check_idle(self) -> None:
        if self._had_work and not self._jobs.has_work():
            self._had_work = False
            self.idle.emit()
