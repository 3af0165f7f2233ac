"""Sentences and their tokens as FunASR's own code shapes them (no hand-written raw output)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from funasr.utils.timestamp_tools import timestamp_sentence, timestamp_sentence_en

from engine.export import ExportOptions
from engine.export.cues import build_cues
from engine.model_set import ModelSet
from engine.result_shape import sentences_from_funasr, transcript_dict
from engine.transcript import Transcript
from tests.engine import pipeline

WORDS = "hello 世 界 world 你 好 this is it"
STAMPS = [[i * 100, i * 100 + 90] for i in range(9)]
PUNC = [1, 2, 1, 3, 1, 1, 1, 1, 3]  # 1 none, 2 comma, 3 period


def _funasr_result(split: Any, text: str = WORDS) -> dict[str, Any]:
    """A `generate` result as inference_with_vad assembles it around FunASR's splitter."""
    return {
        "key": "clip",
        "text": "punctuated",
        "raw_text": text,
        "timestamp": [list(s) for s in STAMPS],
        "sentence_info": split(PUNC, [list(s) for s in STAMPS], text, return_raw_text=True),
    }


def test_funasr_glues_the_words_of_a_sentence_raw_text_together() -> None:
    # The defect this module works around: the evidence, from FunASR's own splitter.
    result = _funasr_result(timestamp_sentence)
    assert [s["raw_text"] for s in result["sentence_info"]] == [
        "hello世",
        "界world",
        "你好thisisit",
    ]


@pytest.mark.parametrize("split", [timestamp_sentence, timestamp_sentence_en])
def test_every_sentence_gets_one_token_per_timestamp_from_the_top_level_raw_text(
    split: Any,
) -> None:
    result = _funasr_result(split)
    sentences = sentences_from_funasr([result])
    assert [[t["text"] for t in s["tokens"]] for s in sentences] == [
        ["hello", "世"],
        ["界", "world"],
        ["你", "好", "this", "is", "it"],
    ]
    for sentence, info in zip(sentences, result["sentence_info"], strict=True):
        assert [[t["start"], t["end"]] for t in sentence["tokens"]] == info["timestamp"]


def test_a_list_valued_text_is_joined_as_words_not_written_as_a_python_list() -> None:
    # Without punctuation ids FunASR's splitter returns `text` as a list of words.
    info = timestamp_sentence(None, [list(s) for s in STAMPS], WORDS)
    assert isinstance(info[0]["text"], list)
    result = {"text": WORDS, "timestamp": STAMPS, "sentence_info": info}
    [sentence] = sentences_from_funasr([result])
    assert sentence["text"] == "hello 世界 world 你好 this is it"
    assert len(sentence["tokens"]) == len(STAMPS)


# ---- the real pipeline: tiny models, the trained VAD, the worker's own backend ---------------


@pytest.fixture(scope="module")
def zh_backend(model_dir: Path) -> Any:
    return pipeline.load(ModelSet.from_dir(model_dir))


@pytest.fixture(scope="module", params=[True, False], ids=["speakers", "no-speakers"])
def dialogue(
    request: pytest.FixtureRequest, zh_backend: Any, conversation_wav: Path
) -> list[dict[str, Any]]:
    return pipeline.run(zh_backend, conversation_wav, diarize=request.param)


def token_coverage(raw: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    """(sentences with tokens, sentences, problems) over the non-empty sentences of `raw`."""
    infos = pipeline.timed_sentences(raw)
    sentences = sentences_from_funasr(raw)
    assert len(sentences) == len(infos)
    problems = [
        f"{s['text']!r}: {len(s['tokens'])} tokens, {len(info['timestamp'])} timestamps"
        for s, info in zip(sentences, infos, strict=True)
        if len(s["tokens"]) != len(info["timestamp"])
    ]
    return sum(bool(s["tokens"]) for s in sentences), len(sentences), problems


def test_every_sentence_of_a_dialogue_carries_one_token_per_timestamp(
    dialogue: list[dict[str, Any]],
) -> None:
    with_tokens, total, problems = token_coverage(dialogue)
    assert total >= 5
    assert not problems
    assert with_tokens >= 0.95 * total


def test_subtitle_cues_of_a_dialogue_begin_and_end_on_token_times(
    dialogue: list[dict[str, Any]], conversation_wav: Path
) -> None:
    transcript = Transcript.from_worker_result(
        transcript_dict(dialogue, str(conversation_wav), 30_000, {})
    )
    starts = {t.start_ms for s in transcript.sentences for t in s.tokens}
    ends = {t.end_ms for s in transcript.sentences for t in s.tokens}
    cues = build_cues(transcript, ExportOptions(max_cue_ms=2000))
    assert len(cues) > len(transcript.sentences)  # the limit made the cues cut sentences
    assert all(c.start_ms in starts and c.end_ms in ends for c in cues)
