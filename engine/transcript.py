"""The transcript model: sentences, tokens and speakers, their edits, and the JSON file format.

The JSON shape is published in ``docs/transcript.schema.json``; times are integer milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.atomic import write_text_atomic

FORMAT_VERSION = 1
PALETTE_SIZE = 8  # colour slots; the colours themselves belong to the GUI


class TranscriptVersionError(ValueError):
    """A transcript file written by a newer FunScribe, with a format this one cannot read."""


@dataclass(frozen=True)
class Token:
    """One recognised token (a CJK character or a word piece) and when it was spoken."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Sentence:
    """One sentence: its time span, text, speaker index (or None) and tokens (may be empty)."""

    start_ms: int
    end_ms: int
    text: str
    speaker: int | None = None
    tokens: tuple[Token, ...] = ()


@dataclass(frozen=True)
class Speaker:
    """A speaker: stable 0-based index, display name (None: "Speaker N"), colour slot."""

    index: int
    name: str | None = None
    color_slot: int = 0

    @property
    def display_name(self) -> str:
        """The name shown in exports: the given name or "Speaker N" (N = index + 1)."""
        return self.name or f"Speaker {self.index + 1}"


@dataclass
class Transcript:
    """One file's transcript; the edit methods change it in place."""

    source_path: str
    duration_ms: int
    models: dict[str, str | None] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)

    @property
    def version(self) -> int:
        """The format version this transcript is written in."""
        return FORMAT_VERSION

    # ---- construction ------------------------------------------------------------------

    @classmethod
    def from_worker_result(cls, result: dict[str, Any]) -> Transcript:
        """Adopt the worker's result; speakers are numbered by first appearance in time."""
        _check_version(result)
        raw = sorted(
            (_sentence(s, speaker_key=None) for s in result.get("sentences", [])),
            key=lambda s: (s.start_ms, s.end_ms),
        )
        # FunASR's cluster ids are arbitrary; order of first appearance is reproducible.
        numbering: dict[int, int] = {}
        for s in raw:
            if s.speaker is not None and s.speaker not in numbering:
                numbering[s.speaker] = len(numbering)
        sentences = [
            replace(s, speaker=None if s.speaker is None else numbering[s.speaker]) for s in raw
        ]
        speakers = [Speaker(i, None, i % PALETTE_SIZE) for i in range(len(numbering))]
        source = result.get("source") or {}
        return cls(
            source_path=str(source.get("path", "")),
            duration_ms=_int(source.get("duration_ms", 0), "source.duration_ms"),
            models=_models(result.get("models") or {}),
            sentences=sentences,
            speakers=speakers,
        )

    # ---- edits -------------------------------------------------------------------------

    def speaker(self, index: int) -> Speaker:
        """The speaker with this index; KeyError if there is none."""
        for s in self.speakers:
            if s.index == index:
                return s
        raise KeyError(f"no speaker with index {index}")

    def speaker_name(self, index: int | None) -> str:
        """The display name of a speaker index; "" for no speaker."""
        return "" if index is None else self.speaker(index).display_name

    def rename_speaker(self, index: int, name: str) -> None:
        """Give a speaker a name; an empty name restores "Speaker N"."""
        self.speaker(index)  # raise for an unknown index before changing anything
        clean = " ".join(name.split()) or None  # a newline in a name would break subtitles
        self.speakers = [replace(s, name=clean) if s.index == index else s for s in self.speakers]

    def merge_speakers(self, keep: int, remove: int) -> None:
        """Fold speaker `remove` into `keep`; `keep` keeps its number, name and colour."""
        if keep == remove:
            raise ValueError("cannot merge a speaker into itself")
        self.speaker(keep)
        self.speaker(remove)
        self.sentences = [
            replace(s, speaker=keep) if s.speaker == remove else s for s in self.sentences
        ]
        self.speakers = [s for s in self.speakers if s.index != remove]

    def edit_sentence(self, i: int, text: str) -> None:
        """Replace sentence `i`'s text; tokens stay only if its words are unchanged."""
        old = self.sentences[i]
        # Fixing punctuation, case or spacing keeps token timing; other edits would
        # misalign tokens with the text, so those drop them (cues then split by length).
        tokens = old.tokens if _letters(text) == _letters(old.text) else ()
        self.sentences[i] = replace(old, text=text, tokens=tokens)

    def add_speaker(self, name: str | None = None) -> int:
        """A new speaker (next free index, next colour slot); returns its index."""
        index = max((s.index for s in self.speakers), default=-1) + 1
        clean = " ".join((name or "").split()) or None
        self.speakers = [*self.speakers, Speaker(index, clean, index % PALETTE_SIZE)]
        return index

    def move_sentences(self, rows: list[int], speaker: int) -> None:
        """Give sentences `rows` to speaker `speaker` (which must exist)."""
        self.speaker(speaker)
        for i in rows:
            if self.sentences[i].speaker != speaker:
                self.sentences[i] = replace(self.sentences[i], speaker=speaker)

    def split_sentence(self, i: int, at: int) -> None:
        """Cut sentence `i` before character `at`; the cut time comes from its tokens.

        Tokens whose letters fall before the cut go to the first part and the cut is where
        the next token starts; without aligned tokens the time is shared by character count.
        """
        old = self.sentences[i]
        head, tail = old.text[:at].rstrip(), old.text[at:].lstrip()
        if not head or not tail:
            raise ValueError("a split needs text on both sides of the cut")
        cut = _token_cut(old, at)
        if cut is None:
            ms = old.start_ms + (old.end_ms - old.start_ms) * at // max(len(old.text), 1)
            first_tokens: tuple[Token, ...] = ()
            rest_tokens: tuple[Token, ...] = ()
        else:
            first_tokens, rest_tokens = old.tokens[:cut], old.tokens[cut:]
            ms = rest_tokens[0].start_ms if rest_tokens else old.end_ms
        ms = min(max(ms, old.start_ms), old.end_ms)
        self.sentences[i : i + 1] = [
            replace(old, end_ms=ms, text=head, tokens=first_tokens),
            replace(old, start_ms=ms, text=tail, tokens=rest_tokens),
        ]

    def join_with_next(self, i: int) -> None:
        """Join sentence `i` with the one after it; the first one's speaker stays."""
        if not 0 <= i < len(self.sentences) - 1:
            raise IndexError("the last sentence has no next one to join")
        a, b = self.sentences[i], self.sentences[i + 1]
        wide = a.text and b.text and _is_wide(a.text[-1]) and _is_wide(b.text[0])
        text = a.text + b.text if wide else f"{a.text} {b.text}".strip()
        joined = replace(a, end_ms=max(a.end_ms, b.end_ms), text=text, tokens=a.tokens + b.tokens)
        self.sentences[i : i + 2] = [joined]

    # ---- JSON --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict, keys in a fixed order."""
        return {
            "version": FORMAT_VERSION,
            "source": {"path": self.source_path, "duration_ms": self.duration_ms},
            "models": dict(sorted(self.models.items())),
            "speakers": [
                {"index": s.index, "name": s.name, "color_slot": s.color_slot}
                for s in self.speakers
            ],
            "sentences": [_sentence_dict(s) for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        """Read a dict written by `to_dict`; ValueError says what is wrong."""
        _check_version(data)
        try:
            speakers = [
                Speaker(
                    _int(s["index"], "speaker index"),
                    None if s["name"] is None else str(s["name"]),
                    _int(s["color_slot"], "color_slot"),
                )
                for s in data["speakers"]
            ]
            sentences = [_sentence(s, speaker_key="speaker") for s in data["sentences"]]
            source = data["source"]
            transcript = cls(
                source_path=str(source["path"]),
                duration_ms=_int(source["duration_ms"], "source.duration_ms"),
                models=_models(data["models"]),
                sentences=sentences,
                speakers=speakers,
            )
        except (KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"not a valid FunScribe transcript: {e!r}") from e
        _check_speakers(transcript)
        return transcript

    def to_json(
        self, compact: bool = False, encode: Callable[[Sentence], str] | None = None
    ) -> str:
        """The transcript as JSON text: stable key order, UTF-8, final newline.

        Indented for people (exports); compact for the session's own files, which are
        rewritten after edits and read back only by FunScribe. `encode` (compact only)
        turns one sentence into its JSON, for a caller that caches unchanged sentences.
        """
        if compact:
            # Sentence by sentence: a saver on a thread beside the GUI can reuse the text of
            # sentences that did not change, and no single json.dumps holds the GIL for long.
            head = replace(self, sentences=[]).to_dict()
            del head["sentences"]
            parts = map(encode or sentence_json, self.sentences)
            return f'{_compact(head)[:-1]},"sentences":[{",".join(parts)}]}}\n'
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def snapshot(self) -> Transcript:
        """A copy that later edits do not change (sentences and speakers are immutable)."""
        return replace(
            self,
            models=dict(self.models),
            sentences=list(self.sentences),
            speakers=list(self.speakers),
        )

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        """Read JSON text written by `to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"not a valid FunScribe transcript: {e}") from e
        if not isinstance(data, dict):
            raise ValueError("not a valid FunScribe transcript: expected a JSON object")
        return cls.from_dict(data)

    def save(self, path: str | Path, compact: bool = False) -> None:
        """Write the JSON file atomically."""
        write_text_atomic(path, self.to_json(compact))

    @classmethod
    def load(cls, path: str | Path) -> Transcript:
        """Read a JSON file written by `save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def sentence_json(s: Sentence) -> str:
    """One sentence as compact JSON, exactly as `Transcript.to_json(compact=True)` has it."""
    return _compact(_sentence_dict(s))


def _sentence_dict(s: Sentence) -> dict[str, Any]:
    return {
        "start": s.start_ms,
        "end": s.end_ms,
        "text": s.text,
        "speaker": s.speaker,
        "tokens": [{"text": t.text, "start": t.start_ms, "end": t.end_ms} for t in s.tokens],
    }


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _check_version(data: dict[str, Any]) -> None:
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"not a FunScribe transcript: bad format version {version!r}")
    if version > FORMAT_VERSION:
        raise TranscriptVersionError(
            f"transcript format version {version} is newer than this FunScribe supports "
            f"({FORMAT_VERSION}); update FunScribe to open it"
        )


def _check_speakers(transcript: Transcript) -> None:
    indices = [s.index for s in transcript.speakers]
    if len(indices) != len(set(indices)):
        raise ValueError("not a valid FunScribe transcript: duplicate speaker index")
    for s in transcript.sentences:
        if s.speaker is not None and s.speaker not in indices:
            raise ValueError(f"not a valid FunScribe transcript: unknown speaker {s.speaker}")


def _sentence(d: dict[str, Any], speaker_key: str | None) -> Sentence:
    start = _int(d["start"], "sentence start")
    speaker = d.get("speaker") if speaker_key is None else d[speaker_key]
    return Sentence(
        start_ms=start,
        # A sentence must not end before it starts; worker results are trusted only so far.
        end_ms=max(start, _int(d["end"], "sentence end")),
        text=str(d["text"]),
        speaker=None if speaker is None else _int(speaker, "speaker"),
        tokens=tuple(
            Token(str(t["text"]), _int(t["start"], "token start"), _int(t["end"], "token end"))
            for t in d.get("tokens") or []
        ),
    )


def _models(d: dict[str, Any]) -> dict[str, str | None]:
    return {str(k): None if v is None else str(v) for k, v in d.items()}


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a valid FunScribe transcript: {what} must be an integer")
    return value


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _token_cut(sentence: Sentence, at: int) -> int | None:
    """How many tokens lie before character `at`, or None if tokens and text disagree."""
    if not sentence.tokens:
        return None
    pieces = [_letters(t.text) for t in sentence.tokens]
    if "".join(pieces) != _letters(sentence.text):
        return None
    before, count = len(_letters(sentence.text[:at])), 0
    for n, piece in enumerate(pieces):
        if count >= before:
            return n
        count += len(piece)
    return len(pieces)


def _is_wide(c: str) -> bool:
    # CJK text joins without a space; the same test as the exporters' line breaking.
    from engine.export.cues import is_wide_char

    return is_wide_char(c)
