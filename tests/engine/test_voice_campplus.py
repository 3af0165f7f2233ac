"""The voice CAM++: loaded whole by FunASR, and telling apart voices it never trained on."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from engine.testing import speech
from engine.testing.tiny_models import verify_loads, weights_file
from engine.testing.voice_campplus import (
    HELD_OUT,
    TRAIN_LINES,
    TRAIN_VARIANTS,
    Recipe,
    Voice,
    build,
    windows,
)

pytestmark = pytest.mark.slow


def _centre(automodel: object, voice: Voice, lines: tuple[str, ...]) -> np.ndarray:
    """Mean unit embedding of a voice's windows, through CAMPPlus.inference (FunASR's fbank)."""
    chunks = [chunk for line in lines for chunk in windows(voice.speak(line))]
    results, _ = automodel.model.inference(chunks, device="cpu")  # type: ignore[attr-defined]
    vectors = results[0]["spk_embedding"].detach().numpy()
    units = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    mean = units.mean(axis=0)
    return mean / np.linalg.norm(mean)


def test_its_voices_and_the_tests_lines_were_never_trained_on() -> None:
    assert not set(HELD_OUT) & set(TRAIN_VARIANTS)
    assert not set(speech.LINES) & set(TRAIN_LINES)
    assert {"m3", "f4"} <= set(HELD_OUT)  # the voices of speech.meeting


def test_it_loads_whole_from_the_hub_layout(voice_spk_dir: Path) -> None:
    assert weights_file(voice_spk_dir).name == "campplus_cn_common.bin"
    verify_loads(voice_spk_dir)  # raises if FunASR skipped or altered a tensor


def test_it_tells_apart_voices_it_never_heard_saying_lines_it_never_heard(
    voice_spk_dir: Path,
) -> None:
    automodel = verify_loads(voice_spk_dir)
    halves = (speech.LINES[0:4], speech.LINES[4:8])
    centres = {(v, h): _centre(automodel, Voice(v), halves[h]) for v in HELD_OUT for h in (0, 1)}
    same = [float(centres[v, 0] @ centres[v, 1]) for v in HELD_OUT]
    different = [
        float(centres[a, h] @ centres[b, g])
        for a, b in itertools.combinations(HELD_OUT, 2)
        for h, g in itertools.product((0, 1), repeat=2)
    ]
    # Random weights give 0.99 for both; trained, a voice is far closer to itself.
    print(f"same voice: {sorted(same)}\ndifferent voices: {sorted(different)}")
    assert min(same) > 0.85, same
    assert max(different) < 0.8, different
    assert min(same) - max(different) > 0.15


def test_the_same_seed_trains_the_same_weights(tmp_path: Path) -> None:
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    small = Recipe(variants=TRAIN_VARIANTS[:4], per_voice=1, steps=5)
    first = build(tmp_path / "one", recipe=small)
    second = build(tmp_path / "two", recipe=small)
    for name in ("config.yaml", "configuration.json", "campplus_cn_common.bin"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
