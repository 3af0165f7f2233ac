"""Pool fixtures: media variants made from the committed clip, and pools that always shut down."""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.pool.pool import PoolConfig, WorkerPool

LONG_REPEATS = 12  # the long clip: speech.wav this many times (~72 s)


def write_variant(source: Path, target: Path, pad_ms: int = 0, repeats: int = 1) -> Path:
    """`source` repeated `repeats` times after `pad_ms` of silence (same format)."""
    with wave.open(str(source), "rb") as src:
        params = src.getparams()
        frames = src.readframes(src.getnframes())
    silence = b"\0" * (params.sampwidth * params.nchannels * params.framerate * pad_ms // 1000)
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(silence + frames * repeats)
    return target


@pytest.fixture(scope="session")
def twelve_clips(tmp_path_factory: pytest.TempPathFactory, speech_wav: Path) -> list[Path]:
    """Twelve short, distinct clips (the test clip after 0–1.1 s of silence)."""
    folder = tmp_path_factory.mktemp("twelve")
    return [
        write_variant(speech_wav, folder / f"clip{i:02d}.wav", pad_ms=i * 100) for i in range(12)
    ]


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory: pytest.TempPathFactory, speech_wav: Path) -> Path:
    """A clip long enough that a job is still running when a test acts on it."""
    folder = tmp_path_factory.mktemp("long")
    return write_variant(speech_wav, folder / "long.wav", repeats=LONG_REPEATS)


@pytest.fixture
def make_pool(qapp: object) -> Iterator[Callable[..., WorkerPool]]:
    """Build pools that are shut down (and their workers gone) when the test ends."""
    pools: list[WorkerPool] = []

    def make(config: PoolConfig, start: bool = True) -> WorkerPool:
        pool = WorkerPool(config)
        pools.append(pool)
        if start:
            pool.start()
        return pool

    yield make
    for pool in pools:
        pool.shutdown()


@pytest.fixture(scope="session")
def shared_pool(qapp: object, model_dir: Path) -> Iterator[WorkerPool]:
    """Two warm real workers (one thread each), shared by the tests that only need workers."""
    pool = WorkerPool(PoolConfig(models_dir=str(model_dir), workers=2, threads=1))
    pool.start()
    yield pool
    pool.shutdown()
