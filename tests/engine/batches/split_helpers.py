"""Helpers for the split-path tests: FunASR's reference output, and running files to the end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from engine.pool.pool import WorkerPool
from engine.protocol import JobOptions
from engine.result_shape import join_words
from tests.engine.pool.pool_helpers import ended

SPEAKERS = 2


def generate_references(model_dir: Path, files: list[Path], folder: Path) -> dict[Path, Any]:
    """Plain `AutoModel.generate` on each file (one process; the models load once)."""
    args: list[str] = []
    for index, path in enumerate(files):
        args += [str(path), str(SPEAKERS), str(folder / f"{index}.json")]
    command = [sys.executable, "-m", "tests.engine.reference_generate", str(model_dir), *args]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return {
        path: json.loads((folder / f"{index}.json").read_text(encoding="utf-8"))
        for index, path in enumerate(files)
    }


def assert_equals_reference(
    transcript: dict[str, Any], reference: dict[str, Any], name: str = ""
) -> None:
    """Text, sentence times, tokens and speakers all equal FunASR's own output."""
    sentences = transcript["sentences"]
    # Text, start, end, speaker and tokens; the message names the first difference.
    assert sentences == reference["sentences"], (
        name,
        _first_difference(sentences, reference["sentences"]),
    )
    raw_info = reference["raw"][0]["sentence_info"]
    assert [s["text"] for s in sentences] == [join_words(s["text"]).strip() for s in raw_info]
    assert [(s["start"], s["end"], s["speaker"]) for s in sentences] == [
        (s["start"], s["end"], s["spk"]) for s in raw_info
    ]


def run_files(pool: WorkerPool, qtbot: Any, files: list[Path], timeout_s: int = 600) -> list[str]:
    """Submit `files` and wait until each has ended; returns their job ids."""
    ids = [pool.submit(str(path), JobOptions(speakers=SPEAKERS)) for path in files]
    qtbot.waitUntil(ended(pool, ids), timeout=timeout_s * 1000)
    return ids


def _first_difference(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> str:
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            keys = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
            return f"sentence {index}: {keys}: {[(k, a.get(k), b.get(k)) for k in keys]}"[:2000]
    return f"{len(got)} sentences, expected {len(want)}"
