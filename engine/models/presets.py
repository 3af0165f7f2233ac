"""Model presets: which ModelScope models (at pinned revisions) make up each model set.

The IDs are the ones FunASR's own name table (`funasr/download/name_maps_from_hub.py`) maps
its short names to; the revisions are the tags FunASR's README pins for them (`v2.0.4`, and
`v2.0.2` for CAM++). A preset also records which features its models support, so the CLI and
the GUI can hide what it cannot do (hotwords need SeACo-Paraformer, for one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.model_set import ROLES, ModelSet

ROLE_TITLES = {
    "asr": "speech recognition",
    "vad": "voice activity detection",
    "punc": "punctuation",
    "spk": "speaker embedding",
}
LOCAL = "local"
# ASR model classes (config.yaml `model:`) that accept hotwords.
_HOTWORD_MODELS = ("SeacoParaformer", "ContextualParaformer")


@dataclass(frozen=True)
class ModelRef:
    """One hub model: its ModelScope ID, pinned revision and rough download size."""

    model_id: str
    revision: str
    approx_bytes: int = 0

    @property
    def label(self) -> str:
        """`owner/name@revision`, for messages."""
        return f"{self.model_id}@{self.revision}"


@dataclass(frozen=True)
class Features:
    """What a model set can do; the GUI and CLI hide the rest."""

    timestamps: bool = True
    hotwords: bool = False
    speakers: bool = False


@dataclass(frozen=True)
class Preset:
    """A named model set: role → hub model (empty for the local preset), and its features."""

    key: str
    title: str
    models: dict[str, ModelRef] = field(default_factory=dict)
    features: Features = field(default_factory=Features)

    @property
    def approx_bytes(self) -> int:
        """Rough total download size (the download itself reports the exact one)."""
        return sum(ref.approx_bytes for ref in self.models.values())

    @property
    def downloadable(self) -> bool:
        """False for the local preset, whose folders the user chooses."""
        return bool(self.models)


_MB = 1024 * 1024
_VAD = ModelRef("iic/speech_fsmn_vad_zh-cn-16k-common-pytorch", "v2.0.4", 2 * _MB)
_PUNC = ModelRef("iic/punc_ct-transformer_cn-en-common-vocab471067-large", "v2.0.4", 1100 * _MB)
_SPK = ModelRef("iic/speech_campplus_sv_zh-cn_16k-common", "v2.0.2", 28 * _MB)

PRESETS: dict[str, Preset] = {
    "zh": Preset(
        key="zh",
        title="Chinese (SeACo-Paraformer large)",
        models={
            "asr": ModelRef(
                "iic/speech_seaco_paraformer_large_asr_nat-zh-cn-16k-common-vocab8404-pytorch",
                "v2.0.4",
                950 * _MB,
            ),
            "vad": _VAD,
            "punc": _PUNC,
            "spk": _SPK,
        },
        # timestamps: SeACo has its own timestamp predictor (CifPredictorV3, config.yaml
        # `predictor:`); FunASR times its tokens on every call. hotwords: SeacoParaformer's
        # bias decoder, with the repo's seg_dict splitting hotwords into its tokens.
        # speakers: CAM++ clusters windows that the sentence timestamps then take their
        # labels from (auto_model.py inference_with_vad, spk_mode "punc_segment").
        features=Features(timestamps=True, hotwords=True, speakers=True),
    ),
    "en": Preset(
        key="en",
        # Limited, on evidence: FunASR issues #1886, #1941, #2087 and #3040 report this model
        # writing gibberish on FunASR's own English sample (open or closed without a fix), and
        # the model zoo offers no other English Paraformer with timestamps (#1400). The
        # title says so; SenseVoiceSmall (multilingual) is the candidate to replace it.
        title="English (Paraformer large, limited accuracy)",
        models={
            "asr": ModelRef(
                "iic/speech_paraformer-large-vad-punc_asr_nat-en-16k-common-vocab10020",
                "v2.0.4",
                900 * _MB,
            ),
            "vad": _VAD,
            # The cn-en punctuation model also punctuates English; CAM++ embeddings are
            # language-independent enough for clustering speakers.
            "punc": _PUNC,
            "spk": _SPK,
        },
        # timestamps: plain Paraformer (`model: Paraformer`, CifPredictorV2) times tokens
        # from its CIF only when asked (`output_timestamp`, which the backend always
        # passes) and FunASR 1.4.16 swaps two arguments there (#3723, PR #3716), which
        # engine/funasr_fixes.py corrects; tests/engine/test_english.py shows both.
        # hotwords: none (not SeACo/contextual). speakers: as above, on those timestamps.
        features=Features(timestamps=True, hotwords=False, speakers=True),
    ),
    LOCAL: Preset(key=LOCAL, title="Local folders"),
}


def get_preset(key: str) -> Preset:
    """The preset named `key`; raises KeyError listing the known keys."""
    try:
        return PRESETS[key]
    except KeyError:
        raise KeyError(f"unknown preset {key!r} (known: {', '.join(PRESETS)})") from None


def local_features(models: ModelSet) -> Features:
    """Features of a user's own folders: speakers need a speaker model, hotwords SeACo."""
    return Features(
        timestamps=True,
        hotwords=_asr_class(models.asr) in _HOTWORD_MODELS,
        speakers=models.spk is not None,
    )


def _asr_class(folder: str) -> str:
    """The `model:` class named in an ASR folder's config.yaml ("" when unreadable)."""
    import yaml

    try:
        config = yaml.safe_load((Path(folder) / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return ""
    return str(config.get("model", "")) if isinstance(config, dict) else ""


__all__ = [
    "LOCAL",
    "PRESETS",
    "ROLES",
    "ROLE_TITLES",
    "Features",
    "ModelRef",
    "Preset",
    "get_preset",
    "local_features",
]
