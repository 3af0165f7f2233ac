"""Cue splitting, as properties over random transcripts, and the SRT/VTT files built on it."""

from __future__ import annotations

import html
import itertools
import string
from datetime import timedelta
from typing import Any

import srt
import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import export
from engine.export import ExportOptions
from engine.export.cues import Cue, build_cues, columns
from engine.transcript import Transcript

PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FEWER = settings(PROPERTY, max_examples=50)  # each example is a whole transcript


def as_url(letters: str) -> str:
    """A URL made of the letters: one word wider than a subtitle line."""
    return "https://" + "/".join(letters[n : n + 8] for n in range(0, len(letters), 8))


latin_words = st.text(string.ascii_letters + "'", min_size=1, max_size=12) | st.text(
    string.ascii_lowercase, min_size=40, max_size=60
).map(as_url)
cjk_chars = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
latin_punct = st.sampled_from(["", "", "", ",", ".", "?", "!", ";", " -"])
cjk_punct = st.sampled_from(["", "", "", "，", "。", "？", "、"])


@st.composite
def sentence_parts(draw: st.DrawFn, script: str) -> list[tuple[str, str]]:
    """(token, token with punctuation) pairs for one sentence in a script."""
    parts = []
    for _ in range(draw(st.integers(1, 60))):
        cjk = script == "cjk" or (script == "mixed" and draw(st.booleans()))
        word = draw(cjk_chars if cjk else latin_words)
        shown = word if cjk or draw(st.booleans()) else word.capitalize()
        punct = draw(cjk_punct if cjk else latin_punct)
        parts.append((word if cjk else word.lower(), shown + punct))
    return parts


def sentence_text(parts: list[tuple[str, str]]) -> str:
    """Words joined as a writer would: spaces between Latin words, none around CJK ones."""
    text = ""
    for _, shown in parts:
        if text and (shown[0].isascii() and text[-1].isascii()):
            text += " "
        text += shown
    return text


@st.composite
def worker_results(draw: st.DrawFn, script: str | None = None) -> dict[str, Any]:
    """Random worker results: overlapping, zero-length, token-less and misaligned sentences."""
    script = script or draw(st.sampled_from(["latin", "cjk", "mixed"]))
    sentences = []
    clock = 0
    for _ in range(draw(st.integers(1, 5))):
        parts = draw(sentence_parts(script))
        clock = max(0, clock + draw(st.integers(-2000, 5000)))
        start, tokens = clock, []
        for word, _ in parts:
            clock += draw(st.integers(0, 1500))
            end = clock + draw(st.integers(0, 800))
            tokens.append({"text": word, "start": clock, "end": end})
            clock = end
        mode = draw(st.sampled_from(["aligned", "aligned", "none", "shuffled", "wrong"]))
        if mode == "none":
            tokens = []
        elif mode == "shuffled":  # times out of order: alignment holds, timing is garbage
            tokens = [dict(t, start=draw(st.integers(0, 10**6))) for t in tokens]
        elif mode == "wrong":
            tokens = [*tokens[1:], {"text": "zzz", "start": clock, "end": clock}]
        sentences.append(
            {
                "start": start,
                "end": clock + draw(st.integers(-500, 500)),
                "text": sentence_text(parts),
                "speaker": draw(st.none() | st.integers(0, 4)),
                "tokens": tokens,
            }
        )
    return {
        "version": 1,
        "source": {"path": "/a.wav", "duration_ms": clock},
        "models": {},
        "sentences": sentences,
    }


def visible(text: str) -> str:
    """Text without any whitespace: what must survive splitting."""
    return "".join(text.split())


def assert_well_formed(cues: list[Cue], options: ExportOptions) -> None:
    """Ordered, non-overlapping, non-empty cues within the duration and line-count limits."""
    for cue, after in itertools.pairwise(cues):
        assert cue.end_ms <= after.start_ms
    for cue in cues:
        assert 0 <= cue.start_ms < cue.end_ms <= cue.start_ms + options.max_cue_ms
        assert 1 <= len(cue.display_lines()) <= options.max_lines
        assert all(line.strip() for line in cue.display_lines())


@PROPERTY
@given(worker_results(), st.booleans(), st.sampled_from([1000, 3000, 7000]), st.integers(1, 3))
def test_cues_are_ordered_within_limits_and_keep_all_text_once(
    result: dict[str, Any], prefix: bool, max_ms: int, max_lines: int
) -> None:
    t = Transcript.from_worker_result(result)
    # A name too wide to share a line needs a second line; one-line cues get no prefix.
    lines = max(max_lines, 2) if prefix else max_lines
    options = ExportOptions(speaker_prefix=prefix, max_cue_ms=max_ms, max_lines=lines)
    cues = build_cues(t, options)
    assert_well_formed(cues, options)
    assert visible("".join("".join(c.lines) for c in cues)) == visible(
        "".join(s.text for s in t.sentences)
    )
    for cue in cues:
        assert max(columns(line) for line in cue.display_lines()) <= 42


@FEWER
@given(worker_results("cjk"), st.booleans())
def test_cjk_lines_hold_at_most_16_characters(result: dict[str, Any], prefix: bool) -> None:
    cues = build_cues(Transcript.from_worker_result(result), ExportOptions(speaker_prefix=prefix))
    for cue in cues:
        assert all(len(line) <= 16 for line in cue.lines)


@FEWER
@given(worker_results("latin"), st.integers(12, 60))
def test_latin_lines_hold_at_most_the_chosen_number_of_characters(
    result: dict[str, Any], width: int
) -> None:
    options = ExportOptions(max_line_chars=width)
    for cue in build_cues(Transcript.from_worker_result(result), options):
        assert all(len(line) <= width for line in cue.display_lines())


@st.composite
def aligned_sentences(draw: st.DrawFn) -> dict[str, Any]:
    """One Latin sentence of short words whose tokens are in order inside its span."""
    parts = draw(
        st.lists(
            st.tuples(st.text(string.ascii_letters, min_size=1, max_size=12), latin_punct),
            min_size=1,
            max_size=80,
        )
    )
    text = " ".join(word + punct for word, punct in parts)
    ends = itertools.accumulate(
        draw(st.lists(st.integers(1, 900), min_size=2 * len(parts), max_size=2 * len(parts)))
    )
    times = list(ends)
    tokens = [
        {"text": word.lower(), "start": times[2 * n], "end": times[2 * n + 1]}
        for n, (word, _) in enumerate(parts)
    ]
    return {"start": times[0], "end": times[-1], "text": text, "speaker": None, "tokens": tokens}


@PROPERTY
@given(aligned_sentences(), st.sampled_from([1000, 7000]))
def test_aligned_sentences_are_cut_between_words_at_token_times(
    sentence: dict[str, Any], max_ms: int
) -> None:
    t = Transcript.from_worker_result(
        {
            "version": 1,
            "source": {"path": "a", "duration_ms": 0},
            "models": {},
            "sentences": [sentence],
        }
    )
    cues = build_cues(t, ExportOptions(max_cue_ms=max_ms))
    words = [w for c in cues for line in c.lines for w in line.split()]
    assert words == sentence["text"].split()
    starts = {tok["start"]: tok["text"] for tok in sentence["tokens"]}
    for cue in cues[1:]:
        assert starts[cue.start_ms] == cue.lines[0].split()[0].lower().strip(",.?!;")


def test_long_sentence_is_split_at_token_times_not_by_length() -> None:
    # Ten words, the first nine spoken quickly and the last after a long pause: a split by
    # length would put the cut near the middle of the time span, tokens put it at 9 s.
    words = [f"word{n}" for n in range(10)]
    tokens = [{"text": w, "start": 300 * n, "end": 300 * n + 250} for n, w in enumerate(words)]
    tokens[-1] = {"text": "word9", "start": 9000, "end": 9400}
    t = Transcript.from_worker_result(
        {
            "version": 1,
            "source": {"path": "a", "duration_ms": 9400},
            "models": {},
            "sentences": [
                {
                    "start": 0,
                    "end": 9400,
                    "text": " ".join(words) + ".",
                    "speaker": None,
                    "tokens": tokens,
                }
            ],
        }
    )
    cues = build_cues(t, ExportOptions())
    assert [c.start_ms for c in cues] == [0, 9000]
    assert cues[1].lines == ("word9.",)


def test_the_speaker_prefix_opens_each_turn_and_counts_toward_the_line() -> None:
    t = Transcript.from_worker_result(
        {
            "version": 1,
            "source": {"path": "a", "duration_ms": 9000},
            "models": {},
            "sentences": [
                {"start": 0, "end": 1000, "text": "Hi.", "speaker": 7, "tokens": []},
                {"start": 1000, "end": 2000, "text": "Still me.", "speaker": 7, "tokens": []},
                {"start": 2000, "end": 3000, "text": "你好。", "speaker": 2, "tokens": []},
            ],
        }
    )
    cues = build_cues(t, ExportOptions())
    assert [c.display_lines() for c in cues] == [
        ("Speaker 1: Hi.",),
        ("Still me.",),
        ("Speaker 2: 你好。",),
    ]


# ---- the files --------------------------------------------------------------------------


@FEWER
@given(worker_results())
def test_srt_output_parses_with_the_srt_package_cue_for_cue(result: dict[str, Any]) -> None:
    t = Transcript.from_worker_result(result)
    cues = build_cues(t, ExportOptions())
    parsed = list(srt.parse(export.render(t, "srt").replace("\n", "\r\n")))
    assert [p.index for p in parsed] == list(range(1, len(cues) + 1))
    assert [p.content.split("\n") for p in parsed] == [list(c.display_lines()) for c in cues]
    ms = timedelta(milliseconds=1)
    assert [(p.start // ms, p.end // ms) for p in parsed] == [(c.start_ms, c.end_ms) for c in cues]


@FEWER
@given(worker_results())
def test_vtt_output_parses_with_webvtt_py_cue_for_cue(result: dict[str, Any]) -> None:
    t = Transcript.from_worker_result(result)
    cues = build_cues(t, ExportOptions())
    parsed = webvtt.from_string(export.render(t, "vtt")).captions
    assert [[html.unescape(x) for x in p.lines] for p in parsed] == [
        list(c.display_lines()) for c in cues
    ]
    assert [(p.start_time.in_milliseconds(), p.end_time.in_milliseconds()) for p in parsed] == [
        (c.start_ms, c.end_ms) for c in cues
    ]
