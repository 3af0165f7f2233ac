"""English through a plain Paraformer (the English preset's kind), with FunASR's own code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from engine import funasr_fixes
from engine.asr_language import is_english_vocabulary
from engine.audio import decode_audio
from engine.export import ExportOptions
from engine.export.cues import build_cues
from engine.model_set import ModelSet
from engine.result_shape import sentences_from_funasr, transcript_dict
from engine.testing.tiny_models import build_english_asr
from engine.transcript import Transcript
from tests.engine import pipeline

ASCII_ENDS = (".", ",", "?")
FULL_WIDTH = "，。？、"


@pytest.fixture(scope="module")
def english_asr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models") / "asr-en"
    build_english_asr(folder, "tiny", seed=0)
    return folder


@pytest.fixture(scope="module")
def bare_model(english_asr: Path) -> Any:
    """The English model alone (no VAD): one utterance straight into Paraformer.inference."""
    from funasr import AutoModel

    funasr_fixes.apply()
    return AutoModel(
        model=str(english_asr), disable_update=True, disable_pbar=True, disable_log=True, ncpu=1
    )


def test_vocabularies_tell_english_from_chinese(english_asr: Path, model_dir: Path) -> None:
    def tokens(folder: Path) -> list[str]:
        return list(json.loads((folder / "tokens.json").read_text(encoding="utf-8")))

    assert is_english_vocabulary(tokens(english_asr))
    assert not is_english_vocabulary(tokens(model_dir / "asr"))


def _times(bare_model: Any, audio: np.ndarray) -> tuple[list[list[int]], list[list[int]]]:
    """(the model's word times, the times of FunASR's helper on the CIF outputs, right way)."""
    from funasr.utils.timestamp_tools import ts_prediction_lfr6_standard

    seen: dict[str, torch.Tensor] = {}

    def record(_module: Any, _args: Any, output: Any) -> None:
        _, token_num, alphas, peaks = output
        seen.update(token_num=token_num, alphas=alphas.clone(), peaks=peaks.clone())

    hook = bare_model.model.predictor.register_forward_hook(record)
    try:
        result = bare_model.generate(input=audio, output_timestamp=True)[0]
    finally:
        hook.remove()
    tokens = ["x"] * int(seen["token_num"].round()[0])
    _, expected = ts_prediction_lfr6_standard(
        seen["alphas"][0], seen["peaks"][0], tokens, upsample_rate=1
    )
    return result["timestamp"], expected


def _consistent(times: list[list[int]], expected: list[list[int]]) -> bool:
    # Word pieces merge into words, so the words' boundaries are a subset of the tokens'.
    boundaries = {t for span in expected for t in span}
    return (
        bool(times)
        and (times[0][0], times[-1][1]) == (expected[0][0], expected[-1][1])
        and {t for span in times for t in span} <= boundaries
    )


def test_plain_paraformer_token_times_come_from_the_cif_peaks(
    bare_model: Any, speech_wav: Path
) -> None:
    assert _consistent(*_times(bare_model, decode_audio(str(speech_wav))))


def test_funasr_1_4_16_alone_gives_other_times(bare_model: Any, speech_wav: Path) -> None:
    # The defect the fix exists for (FunASR #3723); skipped once FunASR has PR #3716.
    if not funasr_fixes.paraformer_timestamps_swapped():
        pytest.skip("this FunASR passes alphas and peaks the right way round")
    funasr_fixes.undo()
    try:
        times, expected = _times(bare_model, decode_audio(str(speech_wav)))
    finally:
        funasr_fixes.apply()
    assert not _consistent(times, expected)


@pytest.fixture(scope="module")
def english_backend(english_asr: Path, model_dir: Path) -> Any:
    models = ModelSet(
        asr=str(english_asr),
        vad=str(model_dir / "vad"),
        punc=str(model_dir / "punc"),
        spk=str(model_dir / "spk"),
    )
    return pipeline.load(models)


@pytest.fixture(scope="module", params=[True, False], ids=["speakers", "no-speakers"])
def english_dialogue(
    request: pytest.FixtureRequest, english_backend: Any, conversation_wav: Path
) -> list[dict[str, Any]]:
    return pipeline.run(english_backend, conversation_wav, diarize=request.param)


def test_the_backend_treats_the_english_model_as_english(english_backend: Any) -> None:
    assert english_backend.english


def test_english_sentences_are_timed_word_by_word_and_end_in_ascii_punctuation(
    english_dialogue: list[dict[str, Any]],
) -> None:
    infos = pipeline.timed_sentences(english_dialogue)
    sentences = sentences_from_funasr(english_dialogue)
    assert len(sentences) >= 5
    for sentence, info in zip(sentences, infos, strict=True):
        assert len(sentence["tokens"]) == len(info["timestamp"]) > 0
        assert sentence["text"].endswith(ASCII_ENDS), sentence["text"]
        assert not set(FULL_WIDTH) & set(sentence["text"])
        assert " " in sentence["text"] or len(sentence["tokens"]) == 1


def test_english_cues_stay_within_the_subtitle_limits(
    english_dialogue: list[dict[str, Any]],
) -> None:
    transcript = Transcript.from_worker_result(transcript_dict(english_dialogue, "x", 30_000, {}))
    options = ExportOptions()
    cues = build_cues(transcript, options)
    assert cues
    longest = max(s.end_ms - s.start_ms for s in transcript.sentences)
    assert longest <= options.max_cue_ms * 2  # sentences, not whole VAD segments
    for cue in cues:
        assert cue.end_ms - cue.start_ms <= options.max_cue_ms
        assert len(cue.lines) <= options.max_lines
        assert all(len(line) <= options.max_line_chars_latin for line in cue.lines)
