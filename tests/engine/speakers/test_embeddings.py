"""The embeddings sidecar: exact round trips, clear errors, batches joined in time order."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from engine.speakers.embeddings import (
    PAYLOAD_KEY,
    SidecarError,
    SpeakerEmbeddings,
    attach_to_result,
    sidecar_path,
    take_from_result,
)


def _embeddings(n: int = 5, start: float = 0.0, seed: int = 1) -> SpeakerEmbeddings:
    rng = np.random.default_rng(seed)
    starts = start + np.arange(n) * 0.75
    return SpeakerEmbeddings(
        vectors=rng.standard_normal((n, 8)).astype(np.float32),
        windows=np.stack([starts, starts + 1.5], axis=1),
        model="sha256:abc",
        speakers=2,
        cluster={"merge_thr": 0.78},
        labels=np.arange(n) % 2,
    )


def _same(a: SpeakerEmbeddings, b: SpeakerEmbeddings) -> bool:
    assert a.labels is not None and b.labels is not None
    return (
        np.array_equal(a.vectors, b.vectors)
        and np.array_equal(a.windows, b.windows)
        and a.header() == b.header()
        and np.array_equal(a.labels, b.labels)
    )


def test_a_sidecar_reads_back_bit_for_bit(tmp_path: Path) -> None:
    original = _embeddings()
    path = sidecar_path(tmp_path / "talk.json")
    original.save(path)
    assert path.name == "talk.speakers.npz"
    assert _same(SpeakerEmbeddings.load(path), original)


def test_a_worker_result_carries_the_embeddings_and_gives_them_up_once() -> None:
    result: dict = {"version": 1, "sentences": []}
    attach_to_result(result, _embeddings())
    json.dumps(result)  # it travels as a JSON line
    taken = take_from_result(result)
    assert taken is not None and _same(taken, _embeddings())
    assert PAYLOAD_KEY not in result and take_from_result(result) is None


def test_the_payload_depends_only_on_the_embeddings() -> None:
    # Results of one job on two workers compare equal (the pool's tests rely on that).
    first: dict = {}
    second: dict = {}
    attach_to_result(first, _embeddings())
    attach_to_result(second, _embeddings())
    assert first == second and "header" in first[PAYLOAD_KEY]


def test_a_newer_or_broken_sidecar_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "x.speakers.npz"
    with pytest.raises(SidecarError, match="no speaker embeddings"):
        SpeakerEmbeddings.load(path)
    path.write_bytes(b"not a zip")
    with pytest.raises(SidecarError, match="unreadable"):
        SpeakerEmbeddings.load(path)
    newer = io.BytesIO()
    header = json.dumps({**_embeddings().header(), "version": 9}).encode()
    np.savez(newer, header=np.frombuffer(header, np.uint8), vectors=np.zeros((1, 2), np.float32))
    with pytest.raises(SidecarError, match="newer"):
        SpeakerEmbeddings.from_bytes(newer.getvalue())


def test_windows_and_vectors_must_agree() -> None:
    with pytest.raises(SidecarError):
        SpeakerEmbeddings(np.zeros((3, 4), np.float32), np.zeros((2, 2)), "m")


def test_batch_parts_join_in_time_order_whatever_order_they_finish() -> None:
    early, late = _embeddings(4, start=0.0, seed=1), _embeddings(3, start=10.0, seed=2)
    joined = SpeakerEmbeddings.joined([late, early])
    assert np.array_equal(joined.vectors, np.concatenate([early.vectors, late.vectors]))
    assert np.all(np.diff(joined.windows[:, 0]) > 0)
    with pytest.raises(SidecarError):
        SpeakerEmbeddings.joined([early, SpeakerEmbeddings(late.vectors, late.windows, "other")])
