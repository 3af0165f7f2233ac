"""The pool's worker slots as a set: what they hold, and stopping them all together."""

from __future__ import annotations

import time

from engine.pool.handle import WorkerHandle
from engine.pool.slot import WorkerSlot
from engine.protocol import Error


class WorkerSlots:
    """Every `WorkerSlot` of one pool, in order; the pool wires their signals."""

    def __init__(self) -> None:
        self.all: list[WorkerSlot] = []

    def handles(self, job_id: str | None = None) -> list[WorkerHandle]:
        """The live worker processes' handles (only those running a part of `job_id`, if
        given)."""
        return [
            s.handle
            for s in self.all
            if s.handle is not None and (job_id is None or s.handle.job_id == job_id)
        ]

    def ready_count(self) -> int:
        """Workers with their models loaded."""
        return sum(1 for h in self.handles() if h.is_ready)

    def busy_count(self) -> int:
        """Workers holding a job (or a part of one)."""
        return sum(1 for h in self.handles() if h.busy)

    def pids(self, job_id: str | None = None) -> list[int]:
        """Process ids of the live workers (only those running a part of `job_id`, if given)."""
        return [h.pid for h in self.handles(job_id) if h.pid is not None]

    def broken(self) -> list[Error]:
        """Why each broken slot gave up (empty while every slot works)."""
        return [s.broken for s in self.all if s.broken is not None]

    def any_usable(self) -> bool:
        """At least one slot can still run a worker."""
        return any(s.usable for s in self.all)

    def resize(self, target: int) -> int:
        """Slots past `target` retire after their job, the others restart under the new
        configuration; returns how many slots the pool must add."""
        for index, slot in enumerate(list(self.all)):
            if index >= target:
                slot.retire()
            else:
                slot.renew()
        return max(target - len(self.all), 0)

    def close(self, timeout_ms: int) -> None:
        """Stop every worker and wait until they are gone: asked first, then terminated,
        then killed, each after its grace time."""
        for slot in self.all:
            slot.close()
        handles = self.handles()
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
