"""Speaker windows embedded in equal-length batches match FunASR's one-at-a-time embeddings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.speaker_batching import embed_in_batches, equal_length_groups

WINDOW = 24_000  # FunASR's 1.5 s speaker window at 16 kHz


def test_windows_are_grouped_by_length_in_order_of_first_appearance():
    windows = [np.zeros(n) for n in (4, 2, 4, 4, 3, 2)]
    assert equal_length_groups(windows) == [[0, 2, 3], [1, 5], [4]]


@pytest.fixture(scope="module")
def speaker_model(model_dir: Path):
    from funasr import AutoModel

    torch.set_num_threads(1)
    return AutoModel(model=str(model_dir / "spk"), disable_update=True, disable_pbar=True)


def test_batched_embeddings_equal_single_window_embeddings_in_the_same_order(speaker_model):
    rng = np.random.default_rng(7)
    # Full windows with a segment's shorter last window among them, as FunASR cuts them.
    lengths = [WINDOW, WINDOW, 9_000, WINDOW, WINDOW, 17_000, WINDOW]
    windows = [(rng.standard_normal(n) * 0.1).astype(np.float32) for n in lengths]
    call = {"model": speaker_model.model, "kwargs": dict(speaker_model.kwargs, batch_size=1)}
    calls: list[int] = []

    def counting_inference(batch, *args, **kwargs):
        calls.append(len(batch))
        return speaker_model.inference(batch, *args, **kwargs)

    single = torch.cat(
        [r["spk_embedding"] for r in speaker_model.inference(windows, input_len=None, **call)]
    )
    batched = embed_in_batches(counting_inference, windows, input_len=None, **call)

    assert sorted(calls) == [1, 1, 5]  # the five full windows ran as one batch
    assert [r["spk_embedding"].shape for r in batched] == [(1, single.shape[1])] * len(windows)
    stacked = torch.cat([r["spk_embedding"] for r in batched])
    torch.testing.assert_close(stacked, single, rtol=1e-4, atol=1e-6)
