"""Files for the split-path tests, made once per session, and a pool that records its parts."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.pool.pool import PoolConfig, WorkerPool
from engine.testing import speech
from tests.engine.pool.pool_helpers import PartLog, start_split_pool

LONG_SECONDS = 310  # over five minutes: ~10 batches


@pytest.fixture(scope="session")
def long_meeting_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Over five minutes of two voices taking turns."""
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    path = tmp_path_factory.mktemp("split-audio") / "long-meeting.wav"
    return speech.make_conversation(path, speech.meeting(), min_seconds=LONG_SECONDS)


@pytest.fixture(scope="session")
def cut_wav(long_meeting_wav: Path) -> Path:
    """80 s cut out of the long meeting, starting mid-sentence."""
    path = long_meeting_wav.with_name("cut.wav")
    subprocess.run(["sox", str(long_meeting_wav), str(path), "trim", "101.3", "80"], check=True)
    return path


@pytest.fixture(scope="session")
def split_files(conversation_wav: Path, cut_wav: Path, long_meeting_wav: Path) -> list[Path]:
    """Three files: ~30 s, 80 s and over five minutes."""
    return [conversation_wav, cut_wav, long_meeting_wav]


@pytest.fixture(scope="session")
def references(
    model_dir: Path, split_files: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Any]:
    """FunASR's own `generate` output for each of the three files."""
    from tests.engine.batches.split_helpers import generate_references

    return generate_references(model_dir, split_files, tmp_path_factory.mktemp("references"))


@pytest.fixture
def split_pool(
    qapp: object, model_dir: Path, tmp_path: Path
) -> Iterator[Callable[..., tuple[WorkerPool, PartLog]]]:
    """Build pools of real workers that run files as batches under tmp_path/checkpoints."""
    pools: list[WorkerPool] = []

    def make(workers: int, checkpoints: Path | None = None) -> tuple[WorkerPool, PartLog]:
        config = PoolConfig(models_dir=str(model_dir), workers=workers, threads=1)
        return start_split_pool(config, checkpoints or tmp_path / "checkpoints", pools)

    yield make
    for pool in pools:
        pool.shutdown()
