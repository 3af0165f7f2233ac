"""Turn FunASR's `generate` output into the worker's plain transcript dict (no torch here).

Token times come from the top-level `raw_text`/`timestamp` pair, one space-separated token per
timestamp. A sentence's own `raw_text` is no use for that: FunASR 1.4.16's `timestamp_sentence`
strips the space after every token (funasr/utils/timestamp_tools.py), so "hello world" arrives
as "helloworld". Each sentence's `timestamp` list is a consecutive slice of the top-level one,
in order, so walking the sentences and taking as many tokens as each has timestamps pairs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TRANSCRIPT_VERSION = 1


def sentences_from_funasr(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sentences (ms times, text, raw speaker id, tokens) from a `generate` result list."""
    sentences: list[dict[str, Any]] = []
    for item in raw:
        info = item.get("sentence_info")
        if info:
            stream = _TokenStream(item)
            sentences.extend(_sentence(s, stream) for s in info)
        elif join_words(item.get("text", "")).strip():
            sentences.append(_whole_text(item))
    return [s for s in sentences if s["text"]]


def join_words(text: Any) -> str:
    """FunASR's text as one string: a list (what it returns when punctuation and timestamps
    do not line up, funasr/utils/timestamp_tools.py) is joined the way FunASR joins words."""
    if isinstance(text, str):
        return text
    if not isinstance(text, Sequence):
        return str(text)
    out = ""
    for word in (str(w) for w in text):
        if out and (_latin(word[:1]) or _latin(out[-1:])):
            out += " "
        out += word
    return out


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


class _TokenStream:
    """The top-level tokens of one result, handed out sentence by sentence."""

    def __init__(self, item: dict[str, Any]) -> None:
        # `raw_text` exists when a punctuation model ran; without one, `text` is the raw text.
        words = join_words(item.get("raw_text", item.get("text", ""))).split()
        stamps = item.get("timestamp") or []
        paired = len(words) == len(stamps)
        self.words = words if paired else []
        self.stamps = [_stamp(s) for s in stamps] if paired else []
        self.position = 0

    def take(self, info: dict[str, Any]) -> list[dict[str, Any]]:
        """The tokens of the next sentence, or its own raw text's when the slice disagrees."""
        stamps = [_stamp(s) for s in info.get("timestamp") or [] if s is not None]
        start, self.position = self.position, self.position + len(stamps)
        if stamps and self.stamps[start : self.position] == stamps:
            words = self.words[start : self.position]
        else:
            # English sentences (timestamp_sentence_en) keep their spaces; this is the
            # fallback when the top-level pair is missing or has another length.
            words = join_words(info.get("raw_text", "")).split()
        return _tokens(words, stamps)


def _stamp(stamp: Any) -> tuple[int, int] | None:
    try:
        return int(stamp[0]), int(stamp[1])
    except (TypeError, ValueError, IndexError):
        return None


def _sentence(info: dict[str, Any], stream: _TokenStream) -> dict[str, Any]:
    speaker = info.get("spk")
    return {
        "start": int(info["start"]),
        "end": int(info["end"]),
        "text": join_words(info.get("text", "")).strip(),
        "speaker": int(speaker) if speaker is not None else None,
        "tokens": stream.take(info),
    }


def _whole_text(item: dict[str, Any]) -> dict[str, Any]:
    # No sentence segmentation (e.g. a model set without punctuation): one sentence.
    stamps = item.get("timestamp") or []
    start = int(stamps[0][0]) if stamps else 0
    end = int(stamps[-1][1]) if stamps else 0
    words = join_words(item.get("raw_text", item.get("text", ""))).split()
    return {
        "start": start,
        "end": max(end, start),
        "text": join_words(item["text"]).strip(),
        "speaker": None,
        "tokens": _tokens(words, [_stamp(s) for s in stamps]),
    }


def _tokens(words: list[str], stamps: Sequence[tuple[int, int] | None]) -> list[dict[str, Any]]:
    if not words or len(words) != len(stamps) or None in stamps:
        return []  # tokens that cannot be paired with times are worse than none
    return [
        {"text": word, "start": stamp[0], "end": stamp[1]}
        for word, stamp in zip(words, stamps, strict=True)
        if stamp is not None
    ]


def transcript_dict(
    raw: list[dict[str, Any]], source_path: str, duration_ms: int, models: dict[str, str | None]
) -> dict[str, Any]:
    """The `result.transcript` payload (see engine.transcript for the full model)."""
    return {
        "version": TRANSCRIPT_VERSION,
        "source": {"path": source_path, "duration_ms": duration_ms},
        "models": dict(models),
        "sentences": sentences_from_funasr(raw),
    }
