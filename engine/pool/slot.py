"""One place for a worker in the pool: it owns the worker's handle from spawn to `deleteLater`.

A slot starts a worker, starts another when one dies (at once after the first death in a row,
then after a doubling delay), gives up after `max_early_deaths` deaths in a row before any job
finished (the slot is then *broken*, with the reason), renews its worker when the config
changes or the worker grew past the memory limit, and retires when the pool shrinks. A failure
that starting again cannot mend (no such program, models that do not load, another protocol
version) breaks the slot at once. Each exited handle is freed once its exit is handled.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from engine.pool.config import PoolConfig
from engine.pool.eta import Throughput
from engine.pool.handle import WorkerHandle
from engine.pool.launcher import worker_environment
from engine.protocol import Error, Hello

_MIB = 1024 * 1024


class WorkerSlot(QObject):
    """A worker slot: one live worker at a time, or a pending restart, or broken."""

    ready = Signal(object)  # Hello
    progressed = Signal(str, object)  # job id, Progress
    segmented = Signal(str, object)  # job id, Segment
    jobEnded = Signal(str, object)  # job id, Result | Error
    changed = Signal()  # a worker started or exited, or the slot broke
    retired = Signal()  # the slot stopped for good (the pool shrank)

    def __init__(self, config: Callable[[], PoolConfig], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self.handle: WorkerHandle | None = None
        self.throughput = Throughput()
        self.broken: Error | None = None  # why this slot gave up
        self.spawns = 0  # workers started here, in all
        self._deaths = 0  # deaths in a row before any job finished
        self._renew = False  # start a fresh worker once this one holds no job
        self._retiring = False
        self._closing = False
        self._respawn = QTimer(self)
        self._respawn.setSingleShot(True)
        self._respawn.timeout.connect(self._spawn)

    # ---- what the pool asks ------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        """Has a worker, or will have one: not broken, retired or closed."""
        return self.broken is None and not self._retiring and not self._closing

    @property
    def accepting(self) -> bool:
        """Its worker may be given a job now."""
        return self.handle is not None and self.handle.accepting

    def start(self) -> None:
        """Start a worker unless one runs, one is due, or the slot is broken."""
        if self.usable and self.handle is None and not self._respawn.isActive():
            self._spawn()

    def revive(self) -> None:
        """Try a broken slot afresh (new work from the user, or a new config)."""
        if self.broken is not None:
            self.broken, self._deaths = None, 0
            self.changed.emit()
            self.start()

    def renew(self) -> None:
        """Run a fresh worker under the current config: now if idle, else after its job.
        A slot that was retiring stays (the pool grew back before it was gone)."""
        self._renew, self._retiring = True, False
        self._renew_if_free()
        self.revive()

    def retire(self) -> None:
        """Stop for good once the worker holds no job; `retired` follows."""
        self._retiring = True
        self._renew_if_free()

    def close(self) -> None:
        """The pool is shutting down: start nothing more (the pool stops the workers)."""
        self._closing = True
        self._respawn.stop()

    # ---- the worker's events -------------------------------------------------------------

    def _spawn(self) -> None:
        config = self._config()
        program, args = config.command()
        env = None if config.program else worker_environment(oversubscribed=config.oversubscribed())
        handle = WorkerHandle(program, args, env, self, load_timeout_ms=config.load_timeout_ms())
        self.handle, self._renew = handle, False
        self.spawns += 1
        handle.ready.connect(self._on_ready)
        handle.progressed.connect(self.progressed)
        handle.segmented.connect(self.segmented)
        handle.jobEnded.connect(lambda job, end, h=handle: self._on_job_ended(h, job, end))
        handle.exited.connect(lambda _code, h=handle: self._on_exited(h))
        handle.start()
        self.changed.emit()

    def _on_ready(self, hello: Hello) -> None:
        self.ready.emit(hello)

    def _on_job_ended(self, handle: WorkerHandle, job_id: str, end: object) -> None:
        if handle.jobs_answered:
            self._deaths = 0  # this worker works: its next death starts a new count
        limit = self._config().rss_limit_mb
        if limit and handle is self.handle and handle.rss_bytes() > limit * _MIB:
            self._renew = True  # recycled: its exit brings a fresh one
        self._renew_if_free()  # first: the pool dispatches on `jobEnded`
        self.jobEnded.emit(job_id, end)

    def _renew_if_free(self) -> None:
        if not (self._renew or self._retiring) or self._closing:
            return
        handle = self.handle
        if handle is not None:
            if not handle.busy:
                handle.shutdown()  # its exit spawns the fresh worker, or retires the slot
            return
        self._respawn.stop()
        if self._retiring:
            self.retired.emit()
        elif self.broken is None:
            self._spawn()

    def _on_exited(self, handle: WorkerHandle) -> None:
        handle.deleteLater()  # its exit is handled: free the process object and its timers
        if handle is not self.handle:
            return
        self.handle = None
        death = handle.death()
        if self._closing:
            pass
        elif self._retiring:
            self.retired.emit()
            return
        elif death is None:
            self._spawn()  # we stopped it: renewed, recycled, or a cancel it ignored
            return
        elif handle.hopeless:
            self.broken = death
        else:
            self._deaths = self._deaths + 1 if not handle.jobs_answered else 1
            limit = self._config().max_early_deaths
            if self._deaths >= limit:
                tries = f"{self._deaths} worker{'s' if self._deaths != 1 else ''} in a row"
                text = f"{death.message} (gave up after {tries} died before finishing a job)"
                self.broken = Error(None, death.code, text, death.detail)
            else:
                self._respawn.start(self._config().respawn_delay(self._deaths))
        self.changed.emit()
