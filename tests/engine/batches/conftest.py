"""A pool that records its parts (the split-path files are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.pool.pool import PoolConfig, WorkerPool
from tests.engine.pool.pool_helpers import PartLog, start_split_pool


@pytest.fixture
def split_pool(
    qapp: object, model_dir: Path, tmp_path: Path
) -> Iterator[Callable[..., tuple[WorkerPool, PartLog]]]:
    """Build pools of real workers that run files as batches under tmp_path/checkpoints."""
    pools: list[WorkerPool] = []

    def make(
        workers: int, checkpoints: Path | None = None, whole_files: bool = True
    ) -> tuple[WorkerPool, PartLog]:
        config = PoolConfig(
            models_dir=str(model_dir),
            workers=workers,
            threads=1,
            whole_files_while_queued=whole_files,
        )
        return start_split_pool(config, checkpoints or tmp_path / "checkpoints", pools)

    yield make
    for pool in pools:
        pool.shutdown()
