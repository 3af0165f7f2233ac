"""The transcript model: speaker numbering, edits, and the versioned JSON format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.transcript import (
    FORMAT_VERSION,
    PALETTE_SIZE,
    Sentence,
    Speaker,
    Token,
    Transcript,
    TranscriptVersionError,
)

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "transcript.schema.json").read_text(encoding="utf-8")
)


def worker_result(sentences: list[dict[str, Any]], version: int = 1) -> dict[str, Any]:
    """A worker result around the given sentences."""
    return {
        "version": version,
        "source": {"path": "/audio/会议.wav", "duration_ms": 60_000},
        "models": {"asr": "paraformer-zh", "vad": "fsmn-vad", "punc": None, "spk": "cam++"},
        "sentences": sentences,
    }


def raw_sentence(start: int, speaker: int | None, text: str = "Hello there.") -> dict[str, Any]:
    """A worker sentence of one second with one token per word."""
    words = text.rstrip(".").lower().split()
    tokens = [
        {"text": w, "start": start + 100 * n, "end": start + 100 * n + 90}
        for n, w in enumerate(words)
    ]
    return {"start": start, "end": start + 1000, "text": text, "speaker": speaker, "tokens": tokens}


def sample() -> Transcript:
    """Three speakers whose FunASR cluster ids are 3, 0, 5 in order of appearance."""
    return Transcript.from_worker_result(
        worker_result(
            [
                raw_sentence(4000, 5, "Third voice."),
                raw_sentence(0, 3, "First voice."),
                raw_sentence(2000, 0, "Second voice."),
                raw_sentence(6000, 3, "First again."),
            ]
        )
    )


def test_first_speaker_in_time_becomes_speaker_1_whatever_its_cluster_id() -> None:
    t = sample()
    assert [s.text for s in t.sentences] == [
        "First voice.",
        "Second voice.",
        "Third voice.",
        "First again.",
    ]
    assert [s.speaker for s in t.sentences] == [0, 1, 2, 0]
    assert [t.speaker_name(s.speaker) for s in t.sentences][:3] == [
        "Speaker 1",
        "Speaker 2",
        "Speaker 3",
    ]


def test_the_same_result_gives_the_same_labels_every_time() -> None:
    assert sample().to_json() == sample().to_json()


def test_each_speaker_gets_a_colour_slot_that_wraps_around_the_palette() -> None:
    raw = [raw_sentence(1000 * n, 100 - n) for n in range(PALETTE_SIZE + 2)]
    t = Transcript.from_worker_result(worker_result(raw))
    assert [s.color_slot for s in t.speakers] == [n % PALETTE_SIZE for n in range(len(raw))]


def test_sentences_without_speaker_stay_without_one_and_make_no_speaker() -> None:
    t = Transcript.from_worker_result(worker_result([raw_sentence(0, None)]))
    assert t.speakers == []
    assert t.sentences[0].speaker is None
    assert t.speaker_name(None) == ""


def test_worker_tokens_become_tokens_in_milliseconds() -> None:
    t = sample()
    assert t.sentences[0].tokens == (Token("first", 0, 90), Token("voice", 100, 190))
    assert t.source_path == "/audio/会议.wav" and t.duration_ms == 60_000
    assert t.models["spk"] == "cam++" and t.models["punc"] is None


def test_renaming_a_speaker_changes_its_display_name_only() -> None:
    t = sample()
    t.rename_speaker(1, "  Ada\nLovelace ")
    assert t.speaker(1) == Speaker(1, "Ada Lovelace", 1)
    assert t.speaker_name(1) == "Ada Lovelace"
    t.rename_speaker(1, "  ")
    assert t.speaker_name(1) == "Speaker 2"


def test_renaming_an_unknown_speaker_is_an_error() -> None:
    with pytest.raises(KeyError):
        sample().rename_speaker(9, "Nobody")


def test_merging_moves_sentences_and_keeps_the_kept_speakers_number_and_colour() -> None:
    t = sample()
    t.rename_speaker(2, "Carol")
    t.merge_speakers(keep=2, remove=0)
    assert [s.speaker for s in t.sentences] == [2, 1, 2, 2]
    assert t.speakers == [Speaker(1, None, 1), Speaker(2, "Carol", 2)]
    assert t.speaker_name(1) == "Speaker 2"  # the others keep their numbers


def test_merging_a_speaker_into_itself_or_an_unknown_one_is_refused() -> None:
    t = sample()
    with pytest.raises(ValueError):
        t.merge_speakers(1, 1)
    with pytest.raises(KeyError):
        t.merge_speakers(1, 7)
    assert len(t.speakers) == 3


def test_editing_words_replaces_the_text_and_drops_tokens_that_no_longer_match() -> None:
    t = sample()
    t.edit_sentence(1, "Second voice, corrected.")
    assert t.sentences[1].text == "Second voice, corrected."
    assert t.sentences[1].tokens == ()


def test_fixing_only_punctuation_or_case_keeps_the_token_timing() -> None:
    t = sample()
    tokens = t.sentences[0].tokens
    t.edit_sentence(0, "first, VOICE!")
    assert t.sentences[0].tokens == tokens


def test_json_is_stable_indented_utf8_with_a_final_newline() -> None:
    text = sample().to_json()
    assert text.endswith("}\n")
    assert "会议" in text  # not \\u escapes
    assert list(json.loads(text)) == ["version", "source", "models", "speakers", "sentences"]
    assert text.splitlines()[1] == '  "version": 1,'


def test_saved_json_validates_against_the_published_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    t = sample()
    t.rename_speaker(0, "Ada")
    t.merge_speakers(0, 2)
    jsonschema.validate(json.loads(t.to_json()), SCHEMA)


def test_save_and_load_round_trip_byte_for_byte(tmp_path: Path) -> None:
    t = sample()
    t.rename_speaker(2, "Ünïcødé 名字")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    t.save(first)
    Transcript.load(first).save(second)
    assert first.read_bytes() == second.read_bytes()
    assert Transcript.load(first) == t


def test_a_newer_format_version_is_refused_with_a_clear_message() -> None:
    data = json.loads(sample().to_json())
    data["version"] = FORMAT_VERSION + 6
    message = r"version 7 is newer than this FunScribe supports \(1\); update FunScribe"
    with pytest.raises(TranscriptVersionError, match=message):
        Transcript.from_json(json.dumps(data))
    with pytest.raises(TranscriptVersionError):
        Transcript.from_worker_result(worker_result([], version=2))


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "{not json",
        '{"version": "1"}',
        '{"version": 1}',
        '{"version": 1, "source": {"path": "a", "duration_ms": 1.5}, "models": {},'
        ' "speakers": [], "sentences": []}',
        '{"version": 1, "source": {"path": "a", "duration_ms": 1}, "models": {},'
        ' "speakers": [], "sentences": [{"start": 0, "end": 1, "text": "x", "speaker": 4,'
        ' "tokens": []}]}',
    ],
    ids=["array", "broken", "string-version", "missing-keys", "float-time", "unknown-speaker"],
)
def test_malformed_files_are_refused_with_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="FunScribe transcript"):
        Transcript.from_json(text)


# ---- properties ---------------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
times = st.integers(min_value=0, max_value=10**7)


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    """Random transcripts, including renamed and merged speakers and edited sentences."""
    raw = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(times)
        tokens = [
            {"text": draw(texts), "start": draw(times), "end": draw(times)}
            for _ in range(draw(st.integers(0, 4)))
        ]
        raw.append(
            {
                "start": start,
                "end": start + draw(st.integers(0, 10**5)),
                "text": draw(texts),
                "speaker": draw(st.none() | st.integers(0, 5)),
                "tokens": tokens,
            }
        )
    roles = st.sampled_from(["asr", "vad", "punc", "spk"])
    models = draw(st.dictionaries(roles, st.none() | texts))
    t = Transcript.from_worker_result(
        {
            "version": 1,
            "source": {"path": draw(texts), "duration_ms": draw(times)},
            "models": models,
            "sentences": raw,
        }
    )
    for s in list(t.speakers):
        if draw(st.booleans()):
            t.rename_speaker(s.index, draw(texts))
    if len(t.speakers) > 1 and draw(st.booleans()):
        t.merge_speakers(t.speakers[-1].index, t.speakers[0].index)
    if t.sentences and draw(st.booleans()):
        t.edit_sentence(draw(st.integers(0, len(t.sentences) - 1)), draw(texts))
    return t


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(transcripts())
def test_any_transcript_round_trips_through_json_byte_for_byte(t: Transcript) -> None:
    text = t.to_json()
    again = Transcript.from_json(text)
    assert again == t
    assert again.to_json() == text


@settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(transcripts())
def test_any_saved_transcript_validates_against_the_schema(t: Transcript) -> None:
    jsonschema.validate(json.loads(t.to_json()), SCHEMA)


def test_sentence_times_are_kept_in_integer_milliseconds() -> None:
    t = Transcript("x.wav", 10, {}, [Sentence(1, 5, "a", None, (Token("a", 1, 5),))], [])
    tokens = json.loads(t.to_json())["sentences"][0]["tokens"]
    assert tokens == [{"text": "a", "start": 1, "end": 5}]


# ---- sentence edits: split, join, move -------------------------------------------------


def tokened(text: str, start: int = 0, speaker: int | None = 0) -> Sentence:
    """A sentence with one token per word, 500 ms each, 100 ms apart."""
    words = text.split()
    tokens = tuple(
        Token(w, start + 600 * n, start + 600 * n + 500) for n, w in enumerate(words)
    )
    return Sentence(start, start + 600 * len(words) - 100, text, speaker, tokens)


def two_speakers(*sentences: Sentence) -> Transcript:
    return Transcript(
        "/a.wav", 60_000, {}, list(sentences), [Speaker(0, None, 0), Speaker(1, "Bo", 1)]
    )


def test_a_split_is_timed_at_the_first_token_of_the_second_part() -> None:
    t = two_speakers(tokened("Good morning, thank you all.", start=1000))

    t.split_sentence(0, len("Good morning, "))

    first, second = t.sentences
    assert (first.text, second.text) == ("Good morning,", "thank you all.")
    assert first.end_ms == second.start_ms == 1000 + 600 * 2  # "thank" starts there
    assert [tok.text for tok in first.tokens] == ["Good", "morning,"]
    assert [tok.text for tok in second.tokens] == ["thank", "you", "all."]
    assert first.start_ms == 1000 and second.end_ms == 1000 + 600 * 5 - 100


def test_a_split_without_tokens_shares_the_time_by_characters() -> None:
    t = two_speakers(Sentence(0, 1000, "abcd efgh", 1))

    t.split_sentence(0, 5)

    assert [(s.start_ms, s.end_ms, s.text, s.speaker) for s in t.sentences] == [
        (0, 555, "abcd", 1),
        (555, 1000, "efgh", 1),
    ]


def test_a_split_needs_text_on_both_sides() -> None:
    t = two_speakers(tokened("One two."))
    with pytest.raises(ValueError):
        t.split_sentence(0, 0)


def test_joining_keeps_the_first_speaker_and_all_tokens_and_spaces_only_latin() -> None:
    t = two_speakers(tokened("Hello there.", 0, 0), tokened("General Kenobi.", 2000, 1))
    t.sentences.append(Sentence(5000, 6000, "你好。", 0))
    t.sentences.append(Sentence(6000, 7000, "再见。", 1))

    t.join_with_next(0)
    t.join_with_next(1)

    assert [s.text for s in t.sentences] == ["Hello there. General Kenobi.", "你好。再见。"]
    assert t.sentences[0].speaker == 0 and t.sentences[0].end_ms == 2000 + 1100
    assert len(t.sentences[0].tokens) == 4
    with pytest.raises(IndexError):
        t.join_with_next(1)


def test_sentences_move_to_an_existing_or_a_new_speaker() -> None:
    t = two_speakers(tokened("One.", 0, 0), tokened("Two.", 1000, 0), tokened("Three.", 2000, 1))

    t.move_sentences([0, 1], 1)
    new = t.add_speaker()
    t.move_sentences([2], new)

    assert [s.speaker for s in t.sentences] == [1, 1, 2]
    assert t.speaker(2).color_slot == 2 and t.speaker(2).display_name == "Speaker 3"
    with pytest.raises(KeyError):
        t.move_sentences([0], 9)


def test_compact_json_is_the_same_transcript_as_the_indented_one() -> None:
    t = sample()
    compact = t.to_json(compact=True)

    assert "\n" not in compact.rstrip("\n")
    assert json.loads(compact) == json.loads(t.to_json())
    assert Transcript.from_json(compact).to_dict() == t.to_dict()
