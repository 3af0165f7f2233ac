"""A batch run steered through FunASR's own `inference_with_vad` loop (engine.batches.calls)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from engine.batches.calls import BatchReady, SplitCalls
from engine.batches.plan import FilePlan


def _plan(rng: random.Random, count: int, batch_size_s: int) -> FilePlan:
    segments, at = [], 0
    for _ in range(count):
        at += rng.randint(200, 3000)
        length = rng.choice([1000, 2000, rng.randint(300, 9000), rng.randint(9000, 40_000)])
        segments.append([at, at + length])  # equal lengths too: their order must hold
        at += length
    return FilePlan.build("key", at + 1000, [{"key": "k", "value": segments}], batch_size_s, 60)


def _run_batch(plan: FilePlan, index: int, only_the_batch: bool) -> tuple[list[int], int, int]:
    """One batch run on the CPU through FunASR's loop: the speech length (ms) of each segment
    computed for real, in order; how many ASR calls FunASR made; what SplitCalls kept."""
    from funasr.auto.auto_model import AutoModel

    calls = SplitCalls(plan, run=plan.batches[index], only_the_batch=only_the_batch)
    vad_model, asr_model = object(), object()
    computed: list[int] = []
    asr_calls = 0

    def inference(input: Any, input_len: Any = None, model: Any = None, **_: Any) -> Any:
        nonlocal asr_calls
        role = "vad" if model is vad_model else "asr"
        asr_calls += role == "asr"

        def real() -> Any:
            computed.extend(len(x) // 16 for x in input)  # a slice's length names its segment
            return [{"text": f"{len(x) // 16}"} for x in input]

        return calls.call(role, input, real)

    model = AutoModel.__new__(AutoModel)
    model.kwargs = {"device": "cpu", "frontend": None}
    model.vad_kwargs, model.vad_model, model.model = {}, vad_model, asr_model
    model.spk_model = model.punc_model = None
    model.inference = inference
    audio = np.zeros(16 * plan.audio_ms, dtype=np.float32)
    with pytest.raises(BatchReady):
        model.inference_with_vad(
            audio, batch_size_s=3, batch_size_threshold_s=60, disable_pbar=True
        )
    kept = calls.batch_result().asr
    return computed, asr_calls, len(kept)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_batch_replaying_only_its_segments_computes_what_the_full_replay_computes(
    seed: int,
) -> None:
    plan = _plan(random.Random(seed), 40, batch_size_s=3)
    segments, order = plan.segments, plan.order
    for index, (start, end) in enumerate(plan.batches):
        want = [segments[order[p]][1] - segments[order[p]][0] for p in range(start, end)]
        full, full_calls, _ = _run_batch(plan, index, only_the_batch=False)
        alone, alone_calls, kept = _run_batch(plan, index, only_the_batch=True)
        assert full == alone == want, index
        assert kept == end - start
        # FunASR no longer walks the segments before the batch (one call each on the CPU).
        assert (full_calls, alone_calls) == (end, end - start), index
