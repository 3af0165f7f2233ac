"""The job queue and the workers that run it; knows nothing about widgets.

Jobs run in queue order on whichever worker is free. A worker is assigned its next job while
its models still load (the job shows as LOADING). A worker that dies after loading is replaced;
its job is retried once. One that never gets ready is not restarted until work arrives and no
worker is left, and then its jobs fail with its reason rather than wait forever.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from engine.pool.config import PoolConfig
from engine.pool.eta import Throughput, audio_seconds_of, overall_percent
from engine.pool.handle import WorkerHandle
from engine.pool.job_queue import JobQueue
from engine.pool.jobs import Job, JobState
from engine.pool.launcher import worker_environment
from engine.protocol import Error, ErrorCode, JobOptions, Progress, Result, Segment, Transcribe

__all__ = ["MAX_CRASHES", "PoolConfig", "WorkerPool"]

MAX_CRASHES = 2  # a job whose worker died this often fails for good
_MIB = 1024 * 1024


@dataclass
class _Slot:
    """A place for one worker: its current process and this machine's measured throughput."""

    handle: WorkerHandle | None = None
    throughput: Throughput = field(default_factory=Throughput)
    broken: Error | None = None  # why the last worker here never got ready
    stale: bool = False  # started under an older config: restart once it has no job
    retired: bool = False  # the pool shrank: stop once it has no job, then drop the slot
    restarting: bool = False  # we stopped it to restart it, so its exit is no failure


class WorkerPool(QObject):
    """Runs submitted files on N warm workers; every job change is announced by a signal."""

    jobAdded = Signal(str)
    jobChanged = Signal(str)  # state, stage, percent or ETA
    jobRemoved = Signal(str)
    orderChanged = Signal()  # move() reordered the queue
    segmentReceived = Signal(str, object)  # job id, Segment
    workersChanged = Signal(int, int)  # busy, total
    idle = Signal()  # nothing queued, nothing running

    def __init__(self, config: PoolConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._jobs = JobQueue()
        self._slots: list[_Slot] = []
        self._crashes: dict[str, int] = {}
        self._cancelling: set[str] = set()
        self._started = self._closing = self._had_work = False
        self._workers_shown = (-1, -1)

    # ---- workers ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers (they load their models once and are reused)."""
        if self._started:
            return
        self._started = True
        self._slots = [_Slot() for _ in range(self._config.worker_total())]
        for slot in self._slots:
            self._spawn(slot)
        self._dispatch()

    @property
    def worker_count(self) -> int:
        """Worker processes alive (loading or ready)."""
        return sum(1 for s in self._slots if s.handle is not None and s.handle.exited_code is None)

    @property
    def ready_count(self) -> int:
        """Workers with their models loaded."""
        return sum(1 for h in self._live_handles() if h.is_ready)

    @property
    def busy_count(self) -> int:
        """Workers holding a job."""
        return sum(1 for s in self._slots if s.handle is not None and s.handle.busy)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [h.pid for h in self._live_handles() if h.pid is not None]

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop every worker and wait until they are gone; running jobs go back to QUEUED."""
        self._closing = True
        handles = self._live_handles()
        for handle in handles:
            handle.shutdown()
        deadline = time.monotonic() + timeout_ms / 1000
        for handle in handles:
            handle.wait(int((deadline - time.monotonic()) * 1000))
        for handle in handles:
            if not handle.wait(0):
                handle.terminate()
                if not handle.wait(handle.stop_grace_ms):
                    handle.kill()
                    handle.wait(handle.stop_grace_ms)
        self._show_workers()

    def reconfigure(self, config: PoolConfig) -> None:
        """Run under `config` from now on: idle workers restart at once, busy ones after
        their job, and the pool grows or shrinks to the new worker count. No job is lost."""
        if config == self._config:
            return
        self._config = config
        if not self._started or self._closing:
            return
        target = config.worker_total()
        for index, slot in enumerate(self._slots):
            slot.stale, slot.retired = True, index >= target
        while len(self._slots) < target:
            self._slots.append(_Slot())
            self._spawn(self._slots[-1])
        for slot in list(self._slots):
            self._restart_if_free(slot)
        self._dispatch()

    def _restart_if_free(self, slot: _Slot) -> None:
        """Stop a stale worker that holds no job; its exit brings one under the new config."""
        if not (slot.stale or slot.retired):
            return
        handle = slot.handle
        if handle is None or handle.exited_code is not None:
            if slot.retired:
                self._slots.remove(slot)
            else:
                self._spawn(slot)  # a worker that never started may start under the new config
        elif not handle.busy:
            slot.restarting = True
            handle.shutdown()

    def _live_handles(self) -> list[WorkerHandle]:
        return [
            s.handle for s in self._slots if s.handle is not None and s.handle.exited_code is None
        ]

    def _spawn(self, slot: _Slot) -> None:
        program, args = self._config.command()
        config = self._config
        env = None if config.program else worker_environment(oversubscribed=config.oversubscribed())
        handle = WorkerHandle(program, args, env, parent=self)
        slot.handle, slot.stale, slot.restarting = handle, False, False
        handle.ready.connect(lambda _hello, s=slot, h=handle: self._on_ready(s, h))
        handle.progressed.connect(lambda job, p, s=slot: self._on_progress(s, job, p))
        handle.segmented.connect(self._on_segment)
        handle.jobEnded.connect(lambda job, end, s=slot, h=handle: self._on_ended(s, h, job, end))
        handle.exited.connect(lambda _code, s=slot, h=handle: self._on_exited(s, h))
        handle.start()
        self._show_workers()

    def _show_workers(self) -> None:
        shown = (self.busy_count, self.worker_count)
        if shown != self._workers_shown:
            self._workers_shown = shown
            self.workersChanged.emit(*shown)

    # ---- jobs ------------------------------------------------------------------------------

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
        # New work while every worker failed to start: try them afresh (a user action, so a
        # worker that can never start costs one attempt per submit, not an endless loop).
        if self._started and not self._closing and not self._live_handles():
            for slot in self._slots:
                self._spawn(slot)

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
            for handle in self._live_handles():
                if handle.job_id == job_id:
                    handle.cancel()

    def retry(self, job_id: str) -> bool:
        """Queue a failed or cancelled job again; False if it is in another state."""
        job = self._jobs.get(job_id)
        if job is None or job.state not in (JobState.FAILED, JobState.CANCELLED):
            return False
        self._crashes.pop(job_id, None)
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
        self._crashes.pop(job_id, None)
        self.jobRemoved.emit(job_id)
        self._check_idle()
        return True

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
        if not self._started or self._closing:
            return
        queued = self._jobs.queued()
        for slot in self._slots:
            handle = slot.handle
            if not queued or handle is None or not handle.accepting:
                continue
            job = queued.pop(0)
            job.reset_attempt()
            job.attempts += 1
            job.worker_pid = handle.pid
            if handle.is_ready:
                job.move_to(JobState.RUNNING)
                job.started_at = time.time()
            else:
                job.move_to(JobState.LOADING)
            handle.run(Transcribe(job=job.id, path=job.path, options=job.options))
            self.jobChanged.emit(job.id)
        self._show_workers()

    def _on_ready(self, slot: _Slot, handle: WorkerHandle) -> None:
        slot.broken = None
        job = self._jobs.get(handle.job_id or "")
        if job is not None and job.state is JobState.LOADING:
            job.move_to(JobState.RUNNING)
            job.started_at = time.time()
            job.worker_pid = handle.pid
            self.jobChanged.emit(job.id)
        self._dispatch()

    def _on_progress(self, slot: _Slot, job_id: str, progress: Progress) -> None:
        job = self._jobs.get(job_id)
        if job is None or job.state is not JobState.RUNNING:
            return
        job.stage = progress.stage
        job.percent = max(job.percent, overall_percent(progress))
        job.audio_seconds = audio_seconds_of(progress) or job.audio_seconds
        elapsed = time.time() - (job.started_at or time.time())
        job.eta_seconds = slot.throughput.eta(job.audio_seconds, job.percent, elapsed)
        self.jobChanged.emit(job_id)

    def _on_segment(self, job_id: str, segment: Segment) -> None:
        self.segmentReceived.emit(job_id, segment)

    def _on_ended(self, slot: _Slot, handle: WorkerHandle, job_id: str, end: object) -> None:
        job = self._jobs.get(job_id)
        if job is None or not job.state.active:
            return
        requested = job_id in self._cancelling
        self._cancelling.discard(job_id)
        if isinstance(end, Result):
            job.transcript = end.transcript
            job.audio_seconds = end.stats.get("audio_seconds", job.audio_seconds)
            job.percent, job.eta_seconds = 100.0, 0.0
            self._finish(job, JobState.DONE, None)
            wall = (job.finished_at or 0) - (job.started_at or 0)
            slot.throughput.add(job.audio_seconds or 0, wall)
        elif isinstance(end, Error):
            self._finish(job, self._state_after(job, handle, end, requested), end)
        limit = self._config.rss_limit_mb
        if limit and not self._closing and handle.rss_bytes() > limit * _MIB:
            handle.shutdown()  # recycled: `exited` brings a fresh one
        if slot.handle is handle and not self._closing:
            self._restart_if_free(slot)
        self._dispatch()

    def _state_after(
        self, job: Job, handle: WorkerHandle, error: Error, requested: bool
    ) -> JobState:
        """Where a job goes after a worker's error: back in line, or to an end state."""
        if requested and error.code in (ErrorCode.CANCELLED, ErrorCode.WORKER_CRASHED):
            return JobState.CANCELLED  # the user's cancel stands, however the worker ended
        if self._closing or error.code is ErrorCode.CANCELLED:
            return JobState.QUEUED  # stopped by us, not by the user: it runs again later
        if error.code is ErrorCode.WORKER_CRASHED:
            self._crashes[job.id] = self._crashes.get(job.id, 0) + 1
            return JobState.QUEUED if self._crashes[job.id] < MAX_CRASHES else JobState.FAILED
        never_ran = error.code in (ErrorCode.WORKER_START_FAILED, ErrorCode.MODEL_LOAD_FAILED)
        # Only a worker that did load its models proves this one's failure was its own.
        others = [h for h in self._live_handles() if h is not handle and h.is_ready]
        return JobState.QUEUED if never_ran and others else JobState.FAILED

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

    def _on_exited(self, slot: _Slot, handle: WorkerHandle) -> None:
        # The exited handle stays a child of the pool until the pool goes: with PySide6 6.12
        # its deleteLater() crashed in ~QObject once the pool itself had been collected.
        if slot.handle is handle and not self._closing:
            if slot.retired:
                self._slots.remove(slot)
            elif slot.restarting:
                self._spawn(slot)  # reconfigured: stopped by us, loading or not
            elif handle.hello is None:
                slot.broken, slot.handle = handle.failure, None
                if not self._live_handles():
                    self._fail_queued(slot.broken)
            else:
                self._spawn(slot)  # crashed, stopped after a cancel, or recycled
        self._show_workers()
        self._dispatch()

    def _fail_queued(self, why: Error | None) -> None:
        error = why or Error(None, ErrorCode.WORKER_START_FAILED, "no worker could be started")
        for job in self._jobs.queued():
            self._finish(job, JobState.FAILED, error)

    def _check_idle(self) -> None:
        if self._had_work and not self._jobs.has_work():
            self._had_work = False
            self.idle.emit()
