"""A worker given missing or broken models fails in seconds, naming the model and the fix."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.models.verify import FIX_HINT
from engine.protocol import Error, ErrorCode
from engine.worker import EXIT_MODEL_LOAD_FAILED
from tests.engine.worker_process import WorkerProcess

FAST_SECONDS = 5  # Python start-up and the protocol imports; no torch, no funasr, no hub


def _first_event_of(*args: str) -> tuple[Error, float, int]:
    started = time.monotonic()
    worker = WorkerProcess(*args, "--threads", "1")
    event = worker.next_event(timeout=60)
    elapsed = time.monotonic() - started
    status = worker.close()
    assert isinstance(event, Error), f"expected an error, got {event}"
    return event, elapsed, status


def test_a_missing_model_folder_fails_fast_with_model_load_failed(tmp_path: Path) -> None:
    error, elapsed, status = _first_event_of("--models", str(tmp_path / "no-such-models"))
    assert error.job is None and error.code is ErrorCode.MODEL_LOAD_FAILED
    assert error.message.startswith("could not load models: ")
    assert "no-such-models" in error.message and "does not exist" in error.message
    assert FIX_HINT in error.message
    assert elapsed < FAST_SECONDS and status == EXIT_MODEL_LOAD_FAILED


def test_a_broken_asr_folder_names_the_missing_file(tmp_path: Path) -> None:
    asr = tmp_path / "asr"
    asr.mkdir()
    (asr / "model.pt").write_bytes(b"weights")
    error, elapsed, _ = _first_event_of("--models", str(tmp_path))
    assert error.code is ErrorCode.MODEL_LOAD_FAILED
    assert "speech recognition model" in error.message and str(asr) in error.message
    assert "config.yaml" in error.message and "tokens.json" in error.message
    assert elapsed < FAST_SECONDS


HUB_IDS = ["paraformer-zh", "iic/speech_fsmn_vad_zh-cn-16k-common-pytorch"]


@pytest.mark.parametrize("location", HUB_IDS)
def test_a_hub_id_is_refused_at_once_instead_of_hanging_offline(location: str) -> None:
    error, elapsed, _ = _first_event_of("--asr", location)
    assert error.code is ErrorCode.MODEL_LOAD_FAILED
    assert location in error.message and "does not exist" in error.message
    assert elapsed < FAST_SECONDS
