"""Run the worker's own pipeline (engine.backend) in-process on a file, for shape tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.audio import decode_audio
from engine.model_set import ModelSet
from engine.protocol import JobOptions


def run(backend: Any, path: Path, **options: Any) -> list[dict[str, Any]]:
    """FunASR's raw `generate` output for `path`, exactly as the worker gets it."""
    from engine.backend import JobHooks

    hooks = JobHooks(progress=lambda *_: None, segment=lambda *_: None, cancelled=lambda: False)
    return backend.transcribe(decode_audio(str(path)), JobOptions(**options), hooks)


def load(models: ModelSet) -> Any:
    """A Backend on one thread, as a worker builds it."""
    from engine.backend import Backend

    return Backend(models, threads=1)


def timed_sentences(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FunASR's sentences that have text (the ones a transcript keeps), in order."""
    from engine.result_shape import join_words

    return [
        s for item in raw for s in item.get("sentence_info", []) if join_words(s["text"]).strip()
    ]
