"""Helpers for the pool tests (fixtures live in conftest.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.pool.pool import PoolConfig, WorkerPool

FAKE_WORKER = Path(__file__).with_name("fake_worker.py")


def fake_config(*args: str, workers: int = 1, **kwargs: object) -> PoolConfig:
    """A pool of fake workers (tests/engine/pool/fake_worker.py) with these arguments."""
    program = (sys.executable, [str(FAKE_WORKER), *args])
    return PoolConfig(workers=workers, program=program, **kwargs)  # type: ignore[arg-type]


def ended(pool: WorkerPool, job_ids: list[str]) -> Callable[[], bool]:
    """A waitUntil predicate: every one of the jobs is in an end state."""
    return lambda: all(pool.job(i).state.finished for i in job_ids)


@dataclass
class PartLog:
    """The parts of split files a pool reported, in order: (job, part, batch, pid, reused)."""

    parts: list[tuple[str, str, int, int, bool]] = field(default_factory=list)

    def batches(self, job: str) -> list[int]:
        """Batches computed (not found saved) for `job`, in the order they were saved."""
        return [
            i for j, part, i, _, reused in self.parts if j == job and part == "batch" and not reused
        ]

    def batch_workers(self, job: str) -> set[int]:
        """Worker pids that computed batches of `job`."""
        return {
            pid
            for j, part, _, pid, reused in self.parts
            if j == job and part == "batch" and not reused
        }


def start_split_pool(
    config: PoolConfig, checkpoints: Path, pools: list[WorkerPool]
) -> tuple[WorkerPool, PartLog]:
    """A started pool running files as batches under `checkpoints`, logging their parts;
    it is added to `pools` (the caller shuts those down)."""
    pool = WorkerPool(config, checkpoints=str(checkpoints))
    log = PartLog()
    pool.partEnded.connect(lambda *part: log.parts.append(part))
    pools.append(pool)
    pool.start()
    return pool, log
