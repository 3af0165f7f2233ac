"""Mapped weight loading: the same model, bit for bit, from pages that workers can share."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from engine import fast_load
from engine.audio import decode_audio
from engine.backend import Backend
from engine.model_set import ModelSet
from engine.protocol import JobOptions
from engine.testing.tiny_models import SPK_WEIGHTS

pytestmark = pytest.mark.slow


def _automodel(model_dir: Path, fast: bool) -> tuple[Any, list[fast_load.LoadedFile]]:
    from funasr import AutoModel

    kwargs = Backend.automodel_kwargs(ModelSet.from_dir(model_dir), threads=1, device="cpu")
    with fast_load.fast_load(active=fast) as records:
        model = AutoModel(**kwargs)
    fast_load.release_freed_memory()
    return model, records


def _sub_models(automodel: Any) -> dict[str, torch.nn.Module]:
    return {
        "asr": automodel.model,
        "vad": automodel.vad_model,
        "punc": automodel.punc_model,
        "spk": automodel.spk_model,
    }


def _plain(value: object) -> object:
    """Output as JSON-able values, so that two runs compare exactly (floats included).

    FunASR names each input with a random key; that is the only part allowed to differ.
    """
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "key"}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


@pytest.fixture(scope="module")
def both(model_dir: Path) -> dict[str, tuple[Any, list[fast_load.LoadedFile]]]:
    """The tiny model set loaded the FunASR way and the fast way."""
    torch.set_num_threads(1)
    return {"funasr": _automodel(model_dir, False), "fast": _automodel(model_dir, True)}


def test_generate_output_is_bit_identical_with_fast_load(
    both: dict[str, tuple[Any, list[fast_load.LoadedFile]]], conversation_wav: Path
) -> None:
    audio = decode_audio(str(conversation_wav))
    outputs = {}
    for name, (model, _) in both.items():
        kwargs = Backend.generate_kwargs(JobOptions(speakers=2, hotwords="planning meeting"))
        outputs[name] = json.dumps(_plain(model.generate(input=audio, **kwargs)))
    assert json.loads(outputs["fast"])[0]["sentence_info"], "the clip gave no sentences"
    assert outputs["fast"] == outputs["funasr"]


def weights_file(model_dir: Path, role: str) -> Path:
    """The checkpoint of `role`, named as in its hub repo (CAM++'s is not model.pt)."""
    return model_dir / role / (SPK_WEIGHTS if role == "spk" else "model.pt")


def test_every_saved_tensor_is_loaded_from_the_mapped_file(
    both: dict[str, tuple[Any, list[fast_load.LoadedFile]]], model_dir: Path
) -> None:
    model, records = both["fast"]
    by_path = {Path(r.path).parent.name: r for r in records}
    assert sorted(by_path) == ["asr", "punc", "spk", "vad"]
    for role, sub_model in _sub_models(model).items():
        record = by_path[role]
        saved = torch.load(weights_file(model_dir, role), map_location="cpu")
        loaded = sub_model.state_dict()
        assert record.mapped and record.converted == 0
        assert record.keys == set(saved) == set(loaded), role
        assert record.adopted == len(saved)
        for key, tensor in saved.items():
            assert loaded[key].dtype == tensor.dtype and torch.equal(loaded[key], tensor), key


def test_fast_loaded_weights_equal_those_of_a_funasr_load(
    both: dict[str, tuple[Any, list[fast_load.LoadedFile]]],
) -> None:
    reference = _sub_models(both["funasr"][0])
    for role, sub_model in _sub_models(both["fast"][0]).items():
        expected = reference[role].state_dict()
        for key, tensor in sub_model.state_dict().items():
            assert torch.equal(tensor, expected[key]), f"{role}: {key}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_weights_stay_mapped_from_the_model_files(
    both: dict[str, tuple[Any, list[fast_load.LoadedFile]]], model_dir: Path
) -> None:
    maps = Path("/proc/self/maps").read_text()
    for role in ("asr", "punc", "spk", "vad"):
        assert str(weights_file(model_dir, role).resolve()) in maps, role
    weight = _sub_models(both["fast"][0])["asr"].state_dict()
    largest = max(weight.values(), key=lambda t: t.numel())
    # A parameter that is a mapped page, not a copy, lies inside a mapping of model.pt.
    address = largest.data_ptr()
    asr_file = str((model_dir / "asr" / "model.pt").resolve())
    ranges = [
        tuple(int(x, 16) for x in line.split()[0].split("-"))
        for line in maps.splitlines()
        if line.endswith(asr_file)
    ]
    assert any(start <= address < end for start, end in ranges)


def test_funasr_loads_its_own_way_again_after_the_context(model_dir: Path) -> None:
    from funasr.auto import auto_model
    from funasr.train_utils import load_pretrained_model as loader_module

    before = (auto_model.load_pretrained_model, loader_module.torch, loader_module.copy)
    with fast_load.fast_load(active=True):
        assert auto_model.load_pretrained_model is not before[0]
    assert (auto_model.load_pretrained_model, loader_module.torch, loader_module.copy) == before


def test_fast_load_is_off_when_the_environment_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from funasr.auto import auto_model

    monkeypatch.setenv(fast_load.ENV, "0")
    original = auto_model.load_pretrained_model
    with fast_load.fast_load() as records:
        assert auto_model.load_pretrained_model is original
    assert records == [] and not fast_load.enabled()
    monkeypatch.delenv(fast_load.ENV)
    assert fast_load.enabled()


def test_a_checkpoint_of_another_dtype_is_converted_not_adopted(tmp_path: Path) -> None:
    model = torch.nn.Linear(4, 3)
    half = {k: torch.randn_like(v).half() for k, v in model.state_dict().items()}
    torch.save(half, tmp_path / "model.pt")
    with fast_load.fast_load(active=True) as records:
        from funasr.auto import auto_model

        auto_model.load_pretrained_model(path=str(tmp_path / "model.pt"), model=model)
    assert model.weight.dtype == torch.float32
    assert torch.equal(model.weight.detach(), half["weight"].float())
    assert records[0].converted == 2 and records[0].adopted == 0


def test_release_freed_memory_asks_glibc_on_linux() -> None:
    np.zeros(50_000_000, dtype=np.uint8)  # something freed to hand back
    released = fast_load.release_freed_memory()
    assert isinstance(released, bool)
    if not sys.platform.startswith("linux"):
        assert released is False
