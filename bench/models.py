"""The full-size random-weight model set (production dimensions), built once into bench/."""

from __future__ import annotations

from pathlib import Path

from bench.common import MODELS


def ensure_models(target: Path = MODELS) -> Path:
    """Build bench/.models-full unless a finished identical build is there (~1.3 GB, ~20 s)."""
    from engine.testing.tiny_models import build_model_set

    return build_model_set(target, size="full")
