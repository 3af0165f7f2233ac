"""Helpers for the pool tests (fixtures live in conftest.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable
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
