"""Checkpoint files: a batch comes back exactly as saved, a broken file counts as missing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from engine.batches import store
from engine.batches.plan import FilePlan
from engine.batches.store import BatchResult


def _result(rng: np.random.Generator) -> BatchResult:
    asr: list[dict[str, Any]] = [
        {"key": "a", "text": "hello world", "timestamp": [[0, 120], [130, 400]]},
        {"key": "b", "text": "", "timestamp": []},
    ]
    return BatchResult(
        asr=asr, spk=[rng.standard_normal((3, 8), dtype=np.float32), np.zeros((1, 8), np.float32)]
    )


def test_a_saved_batch_loads_bit_for_bit(tmp_path: Path) -> None:
    saved = _result(np.random.default_rng(1))
    store.save_batch(tmp_path, 4, saved)
    loaded = store.load_batch(tmp_path, 4)
    assert loaded is not None and loaded.asr == saved.asr
    assert loaded.spk is not None and saved.spk is not None
    for got, want in zip(loaded.spk, saved.spk, strict=True):
        assert got.dtype == want.dtype and np.array_equal(got, want)
    assert [p.name for p in tmp_path.iterdir()] == ["batch-00004.npz"]  # no temp file left


def test_a_batch_without_speakers_has_no_embeddings(tmp_path: Path) -> None:
    store.save_batch(tmp_path, 0, BatchResult(asr=[{"text": "x"}]))
    loaded = store.load_batch(tmp_path, 0)
    assert loaded is not None and loaded.spk is None


def test_a_truncated_or_missing_batch_counts_as_not_done(tmp_path: Path) -> None:
    plan = FilePlan("k", 1000, [{"key": "k", "value": [[0, 10], [20, 40]]}], [(0, 1), (1, 2)])
    store.save_plan(tmp_path, plan)
    store.save_batch(tmp_path, 0, BatchResult(asr=[{"text": "a"}]))
    store.save_batch(tmp_path, 1, BatchResult(asr=[{"text": "b"}]))
    assert store.finished_batches(tmp_path, plan) == [0, 1]
    path = store.batch_path(tmp_path, 1)
    path.write_bytes(path.read_bytes()[:20])
    assert store.load_batch(tmp_path, 1) is None
    assert store.finished_batches(tmp_path, plan) == [0]
    assert store.load_plan(tmp_path) == plan
    (tmp_path / store.PLAN_NAME).write_text("{")
    assert store.load_plan(tmp_path) is None


def test_prune_removes_the_oldest_job_folders_first_and_keeps_running_ones(tmp_path: Path) -> None:
    for age, name in enumerate(["old", "running", "new"]):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "batch-00000.npz").write_bytes(b"x" * 1000)
        os.utime(folder / "batch-00000.npz", (1000 + age, 1000 + age))
    removed = store.prune(tmp_path, keep={"running"}, limit=2000)
    assert removed == [tmp_path / "old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "running"]
