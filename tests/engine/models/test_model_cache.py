"""The model cache: presets, the `.complete` marker, state and removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.models.cache import (
    CACHE_ENV,
    DATA_DIR_ENV,
    PresetState,
    default_cache_dir,
    mark_complete,
    model_folder,
    preset_model_set,
    preset_state,
    remove_preset,
)
from engine.models.presets import LOCAL, PRESETS, ModelRef, get_preset, local_features


def _complete(cache: Path, ref: ModelRef) -> Path:
    folder = model_folder(cache, ref)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.pt").write_bytes(b"w")
    mark_complete(folder, ref)
    return folder


def test_every_downloadable_preset_pins_revisions_for_asr_and_vad() -> None:
    for preset in PRESETS.values():
        if preset.downloadable:
            assert {"asr", "vad"} <= set(preset.models)
            for ref in preset.models.values():
                assert ref.revision and ref.model_id.startswith("iic/")
    assert not PRESETS[LOCAL].downloadable


def test_only_the_seaco_preset_offers_hotwords() -> None:
    assert PRESETS["zh"].features.hotwords and not PRESETS["en"].features.hotwords


def test_an_unknown_preset_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="zh"):
        get_preset("klingon")


def test_the_cache_folder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere"))
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    assert default_cache_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv(CACHE_ENV)
    assert default_cache_dir() == tmp_path / "data" / "models"
    monkeypatch.delenv(DATA_DIR_ENV)
    assert default_cache_dir().name == "models"


def test_a_model_folder_stays_inside_the_cache(tmp_path: Path) -> None:
    folder = model_folder(tmp_path, ModelRef("../../etc", "../x"))
    assert tmp_path in folder.parents


def test_a_preset_is_missing_then_partial_then_present(tmp_path: Path) -> None:
    preset = PRESETS["zh"]
    assert preset_state(preset, tmp_path) is PresetState.MISSING
    asr = model_folder(tmp_path, preset.models["asr"])
    asr.mkdir(parents=True)
    (asr / "model.pt.incomplete").write_bytes(b"half")
    assert preset_state(preset, tmp_path) is PresetState.PARTIAL
    assert preset_model_set(preset, tmp_path) is None
    for ref in preset.models.values():
        _complete(tmp_path, ref)
    assert preset_state(preset, tmp_path) is PresetState.PRESENT
    models = preset_model_set(preset, tmp_path)
    assert models is not None and models.asr == str(asr) and models.spk is not None


def test_files_without_the_marker_are_never_complete(tmp_path: Path) -> None:
    preset = PRESETS["en"]
    for ref in preset.models.values():
        folder = model_folder(tmp_path, ref)
        folder.mkdir(parents=True)
        (folder / "model.pt").write_bytes(b"w")
    assert preset_state(preset, tmp_path) is PresetState.PARTIAL


def test_removing_a_preset_keeps_models_another_present_preset_uses(tmp_path: Path) -> None:
    for ref in [*PRESETS["zh"].models.values(), *PRESETS["en"].models.values()]:
        _complete(tmp_path, ref)
    removed = remove_preset(PRESETS["zh"], tmp_path)
    assert removed == [model_folder(tmp_path, PRESETS["zh"].models["asr"])]
    assert preset_state(PRESETS["en"], tmp_path) is PresetState.PRESENT
    assert preset_state(PRESETS["zh"], tmp_path) is PresetState.PARTIAL
    remove_preset(PRESETS["en"], tmp_path)
    assert preset_state(PRESETS["en"], tmp_path) is PresetState.MISSING
    assert preset_state(PRESETS["zh"], tmp_path) is PresetState.MISSING


def test_local_folders_offer_hotwords_only_with_seaco_and_speakers_only_with_spk(
    tmp_path: Path,
) -> None:
    from engine.model_set import ModelSet

    asr = tmp_path / "asr"
    asr.mkdir()
    (asr / "config.yaml").write_text("model: SeacoParaformer\n")
    features = local_features(ModelSet(asr=str(asr)))
    assert features.hotwords and not features.speakers
    (asr / "config.yaml").write_text("model: Paraformer\n")
    features = local_features(ModelSet(asr=str(asr), spk=str(tmp_path / "spk")))
    assert not features.hotwords and features.speakers
