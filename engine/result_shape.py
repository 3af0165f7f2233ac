"""Turn FunASR's `generate` output into the worker's plain transcript dict (no torch here)."""

from __future__ import annotations

from typing import Any

TRANSCRIPT_VERSION = 1


def sentences_from_funasr(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sentences (ms times, text, raw speaker id, tokens) from a `generate` result list."""
    sentences: list[dict[str, Any]] = []
    for item in raw:
        info = item.get("sentence_info")
        if info:
            sentences.extend(_sentence(s) for s in info)
        elif str(item.get("text", "")).strip():
            sentences.append(_whole_text(item))
    return [s for s in sentences if s["text"].strip()]


def _sentence(info: dict[str, Any]) -> dict[str, Any]:
    speaker = info.get("spk")
    return {
        "start": int(info["start"]),
        "end": int(info["end"]),
        "text": str(info["text"]),
        "speaker": int(speaker) if speaker is not None else None,
        "tokens": _tokens(str(info.get("raw_text", "")), info.get("timestamp") or []),
    }


def _whole_text(item: dict[str, Any]) -> dict[str, Any]:
    # No sentence segmentation (e.g. a model set without punctuation): one sentence.
    stamps = item.get("timestamp") or []
    start = int(stamps[0][0]) if stamps else 0
    end = int(stamps[-1][1]) if stamps else 0
    return {
        "start": start,
        "end": max(end, start),
        "text": str(item["text"]),
        "speaker": None,
        "tokens": _tokens(str(item.get("raw_text", "")), stamps),
    }


def _tokens(raw_text: str, stamps: list[Any]) -> list[dict[str, Any]]:
    words = raw_text.split()
    if not words or len(words) != len(stamps):
        return []  # tokens that cannot be paired with times are worse than none
    return [
        {"text": word, "start": int(stamp[0]), "end": int(stamp[1])}
        for word, stamp in zip(words, stamps, strict=True)
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
