"""A real worker with the tiny models, and transcripts it made (embeddings kept)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engine.protocol import Hello, JobOptions, Result, Transcribe
from tests.engine.worker_process import WorkerProcess

Transcribed = Callable[..., dict[str, Any]]


@pytest.fixture(scope="package")
def speaker_worker(
    model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    log = tmp_path_factory.mktemp("speaker-worker") / "stderr.log"
    process = WorkerProcess("--models", str(model_dir), "--threads", "1", stderr_path=log)
    hello = process.next_event(timeout=120)
    assert isinstance(hello, Hello), f"expected hello, got {hello}; log: {log.read_text()[-2000:]}"
    yield process
    process.close()


@pytest.fixture(scope="package")
def transcribe(speaker_worker: WorkerProcess) -> Transcribed:
    """The worker's result transcript dict for a file (cached per path and options)."""
    cache: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}

    def run(path: Path, **options: Any) -> dict[str, Any]:
        key = (str(path), tuple(sorted(options.items())))
        if key not in cache:
            job = f"job{len(cache)}"
            speaker_worker.send(Transcribe(job=job, path=str(path), options=JobOptions(**options)))
            end = speaker_worker.until_end(job, timeout=1800)[-1]
            assert isinstance(end, Result), end
            cache[key] = end.transcript
        return dict(cache[key])

    return run
