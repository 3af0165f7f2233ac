"""How the download process is started, from source and from a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.pool.launcher import is_frozen, worker_environment

# `funscribe --download-models PRESET --cache DIR` in a frozen build (see gui/entry.py).
FROZEN_FLAG = "--download-models"


def download_command(preset: str, cache: Path) -> tuple[str, list[str]]:
    """Program and arguments of a download process for `preset` into `cache`."""
    args = [preset, "--cache", str(cache)]
    if is_frozen():
        return sys.executable, [FROZEN_FLAG, *args]
    return sys.executable, ["-m", "engine.models.download", *args]


def download_environment() -> dict[str, str]:
    """The download process's environment: ours (endpoint variables included) + the source."""
    return worker_environment()
