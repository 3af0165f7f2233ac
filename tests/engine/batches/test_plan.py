"""The batch plan: FunASR's own packing of VAD segments, and the saved plan."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.batches.plan import FilePlan, models_identity, pack, plan_key, sorted_order


def funasr_asr_calls(
    segments: list[list[int]], batch_size_s: int, threshold_s: int
) -> list[list[list[int]]]:
    """The segments of each ASR call FunASR's own `inference_with_vad` makes for this VAD
    output, run with a device other than the CPU (where FunASR packs batches)."""
    from funasr.auto.auto_model import AutoModel

    vad_model, asr_model = object(), object()
    calls: list[list[list[int]]] = []

    def inference(input: Any, input_len: Any = None, model: Any = None, **_: Any) -> Any:
        if model is vad_model:
            return [{"key": "k", "value": [list(s) for s in segments]}]
        # Each input is the slice of one segment: its length in ms names the segment.
        calls.append([[len(x) // 16] for x in input])
        return [{"text": ""} for _ in input]

    model = AutoModel.__new__(AutoModel)
    model.kwargs = {"device": "gpu-like", "frontend": None}
    model.vad_kwargs, model.vad_model, model.model = {}, vad_model, asr_model
    model.spk_model = model.punc_model = None
    model.inference = inference
    audio = np.zeros(16 * (max(s[1] for s in segments) + 10), dtype=np.float32)
    model.inference_with_vad(
        audio, batch_size_s=batch_size_s, batch_size_threshold_s=threshold_s, disable_pbar=True
    )
    return calls


def _random_segments(rng: random.Random, count: int) -> list[list[int]]:
    segments, at = [], 0
    for _ in range(count):
        at += rng.randint(200, 3000)
        length = rng.choice([rng.randint(300, 9000), rng.randint(9000, 70_000)])
        segments.append([at, at + length])
        at += length
    return segments


@pytest.mark.parametrize(("batch_size_s", "threshold_s"), [(30, 60), (10, 60), (300, 60), (5, 4)])
def test_pack_makes_exactly_the_batches_funasr_makes(batch_size_s: int, threshold_s: int) -> None:
    rng = random.Random(batch_size_s * 1000 + threshold_s)
    for count in (1, 2, 3, 17, 60):
        segments = _random_segments(rng, count)
        order = sorted_order(segments)
        lengths = [segments[i][1] - segments[i][0] for i in order]
        ours = [
            [[lengths[p]] for p in range(a, b)] for a, b in pack(lengths, batch_size_s, threshold_s)
        ]
        assert ours == funasr_asr_calls(segments, batch_size_s, threshold_s), (count, segments)


def test_segments_run_shortest_first_and_equal_lengths_keep_their_order() -> None:
    segments = [(0, 500), (600, 800), (900, 1400), (1500, 1600)]
    assert sorted_order(segments) == [3, 1, 0, 2]


def test_a_plan_survives_its_json_and_knows_each_batchs_speech() -> None:
    vad = [{"key": "k", "value": [[0, 4000], [5000, 6000], [7000, 40_000]]}]
    plan = FilePlan.build("key", 41_000, vad, batch_size_s=5, threshold_s=60)
    assert plan.batches == [(0, 2), (2, 3)]
    assert plan.batch_ms() == [5000, 33_000]
    assert FilePlan.from_json(plan.to_json()) == plan
    assert [plan.batch_of(p) for p in range(3)] == [0, 0, 1]


def test_no_speech_is_a_plan_without_batches() -> None:
    plan = FilePlan.build("key", 5000, [{"key": "k", "value": []}], 30, 60)
    assert plan.batches == [] and plan.batch_ms() == []


def test_a_model_replaced_in_its_folder_makes_another_plan_key(tmp_path: Path) -> None:
    asr = tmp_path / "asr"
    asr.mkdir()
    (asr / "model.pt").write_bytes(b"weights")

    def key() -> str:
        models = models_identity({"asr": str(asr), "vad": None, "spk": "iic/some-hub-id"})
        return plan_key({"path": "talk.wav"}, models, {"hotwords": ""})

    before = key()
    assert key() == before  # nothing changed: the same key, checkpoints are reused
    (asr / "model.pt").write_bytes(b"other weights")
    os.utime(asr / "model.pt", ns=(1, 1))
    assert key() != before
