"""One local Ray cluster for every cluster test, on the loopback address only."""

from __future__ import annotations

import os
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

# Read by Ray when it is imported: use 127.0.0.1 as this node's address, never a network one.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[None]:
    """A 2-CPU Ray instance in this process (slow to start: shared by the whole session)."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False)
    yield
    ray.shutdown()


def padded_copy(source: Path, target: Path, pad_ms: int = 0, repeats: int = 1) -> Path:
    """`source` (a wav) repeated `repeats` times after `pad_ms` of silence."""
    with wave.open(str(source), "rb") as src:
        params = src.getparams()
        frames = src.readframes(src.getnframes())
    silence = b"\0" * (params.sampwidth * params.nchannels * params.framerate * pad_ms // 1000)
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setparams(params)
        out.writeframes(silence + frames * repeats)
    return target


@pytest.fixture
def eight_files(tmp_path: Path, speech_wav: Path, speech_mp4: Path) -> Path:
    """Eight media files in a folder, two pairs of them with the same stem."""
    media = tmp_path / "media"
    for i in range(5):
        padded_copy(speech_wav, media / f"clip{i}.wav", pad_ms=150 * i)
    padded_copy(speech_wav, media / "a" / "talk.wav", pad_ms=400)
    (media / "b").mkdir()
    shutil.copy(speech_mp4, media / "b" / "talk.mp4")
    padded_copy(speech_wav, media / "b" / "Talk.wav", repeats=2)
    return media
