"""Real workers with the tiny models, and transcripts they made (embeddings kept).

`speaker_worker` runs the tiny set's random-weight CAM++ (the plumbing: voices are not told
apart); `voice_worker` runs the same set with the voice CAM++ (MODELS/spk-voices), which
tells espeak-ng voices apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.protocol import Hello, JobOptions, Result, Transcribe
from tests.engine.worker_process import WorkerProcess

Transcribed = Callable[..., dict[str, Any]]


def _start(log: Path, *args: str) -> WorkerProcess:
    process = WorkerProcess(*args, "--threads", "1", stderr_path=log)
    hello = process.next_event(timeout=120)
    assert isinstance(hello, Hello), f"expected hello, got {hello}; log: {log.read_text()[-2000:]}"
    return process


def _transcriber(worker: WorkerProcess) -> Transcribed:
    """The worker's result transcript dict for a file (cached per path and options)."""
    cache: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}

    def run(path: Path, **options: Any) -> dict[str, Any]:
        key = (str(path), tuple(sorted(options.items())))
        if key not in cache:
            job = f"job{len(cache)}"
            worker.send(Transcribe(job=job, path=str(path), options=JobOptions(**options)))
            end = worker.until_end(job, timeout=1800)[-1]
            assert isinstance(end, Result), end
            cache[key] = end.transcript
        return dict(cache[key])

    return run


@pytest.fixture(scope="package")
def speaker_worker(
    model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    log = tmp_path_factory.mktemp("speaker-worker") / "stderr.log"
    process = _start(log, "--models", str(model_dir))
    yield process
    process.close()


@pytest.fixture(scope="package")
def transcribe(speaker_worker: WorkerProcess) -> Transcribed:
    """Transcripts from the random-weight CAM++ worker."""
    return _transcriber(speaker_worker)


@pytest.fixture(scope="package")
def voice_worker(
    model_dir: Path, voice_spk_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    log = tmp_path_factory.mktemp("voice-worker") / "stderr.log"
    roles = [arg for role in ("asr", "vad", "punc") for arg in (f"--{role}", str(model_dir / role))]
    process = _start(log, *roles, "--spk", str(voice_spk_dir))
    yield process
    process.close()


@pytest.fixture(scope="package")
def transcribe_voices(voice_worker: WorkerProcess) -> Transcribed:
    """Transcripts from the voice CAM++ worker."""
    return _transcriber(voice_worker)
