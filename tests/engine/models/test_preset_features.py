"""Each preset's feature flags against a tiny model of the same class as its real ASR model."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.model_set import ModelSet
from engine.models.presets import PRESETS, local_features
from engine.testing.tiny_models import build_asr, build_english_asr

# The `model:` class in each preset's real config.yaml (the hub repos' config.yaml).
BUILDERS = {"zh": build_asr, "en": build_english_asr}


@pytest.mark.parametrize("key", sorted(BUILDERS))
def test_a_preset_claims_what_a_model_of_its_class_can_do(key: str, tmp_path: Path) -> None:
    BUILDERS[key](tmp_path / "asr", "tiny", 0)
    (tmp_path / "spk").mkdir()
    found = local_features(ModelSet(asr=str(tmp_path / "asr"), spk=str(tmp_path / "spk")))
    assert PRESETS[key].features == found


def test_the_english_preset_says_it_is_limited() -> None:
    assert "limited" in PRESETS["en"].title
