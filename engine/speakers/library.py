"""The voice library: named voices saved from transcripts, in one JSON file in the data dir.

A voice is the mean of a speaker's L2-normalised window embeddings and how many windows it
came from, so re-saving from another transcript merges exactly (a weighted mean). Each voice
names the speaker model that made it; embeddings of another model never match it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.atomic import write_text_atomic

LIBRARY_VERSION = 1
LIBRARY_FILE = "voices.json"


class LibraryError(ValueError):
    """A library file that cannot be read, or an unknown voice."""


@dataclass(frozen=True)
class Voice:
    """One named voice: mean normalised embedding, window count, speaker-model identity."""

    id: str
    name: str
    model: str
    mean: np.ndarray  # float32 (D,): mean of unit vectors (its norm is below 1)
    windows: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (float32 values written as the shortest text that reads back the same)."""
        return {
            "id": self.id,
            "name": self.name,
            "model": self.model,
            "windows": self.windows,
            "mean": [float(x) for x in self.mean.astype(np.float32)],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Voice:
        """Read what `to_dict` wrote."""
        return cls(
            id=str(d["id"]),
            name=str(d["name"]),
            model=str(d["model"]),
            mean=np.array(d["mean"], dtype=np.float32),
            windows=int(d["windows"]),
        )


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def mean_of_units(vectors: np.ndarray) -> np.ndarray:
    """The mean of the rows after normalising each: a voice's stored vector."""
    if len(vectors) == 0:
        raise LibraryError("a voice needs at least one embedding")
    return unit_rows(vectors).mean(axis=0).astype(np.float32)


class VoiceLibrary:
    """The library file: list, save, re-save (merge), rename, delete; every write atomic."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_data_dir(cls, data_dir: str | Path) -> VoiceLibrary:
        """The library of the app's data folder."""
        return cls(Path(data_dir) / LIBRARY_FILE)

    def voices(self, model: str | None = None) -> list[Voice]:
        """Every voice, by name; only those of speaker model `model` when given."""
        voices = sorted(self._read(), key=lambda v: (v.name.casefold(), v.id))
        return [v for v in voices if model is None or v.model == model]

    def voice(self, voice_id: str) -> Voice:
        """The voice with this id; LibraryError if there is none."""
        for v in self._read():
            if v.id == voice_id:
                return v
        raise LibraryError(f"no voice {voice_id!r} in the library")

    def save(self, name: str, model: str, vectors: np.ndarray) -> Voice:
        """Add a voice from a speaker's window embeddings."""
        voice = Voice(
            secrets.token_hex(6), _clean(name), model, mean_of_units(vectors), len(vectors)
        )
        self._write([*self._read(), voice])
        return voice

    def resave(self, voice_id: str, model: str, vectors: np.ndarray) -> Voice:
        """Merge more windows of the same voice into it (a weighted mean)."""
        old = self.voice(voice_id)
        if old.model != model:
            raise LibraryError(f"{old.name!r} was saved with another speaker model")
        added = mean_of_units(vectors)
        total = old.windows + len(vectors)
        mean = (old.mean.astype(np.float64) * old.windows + added * len(vectors)) / total
        new = replace(old, mean=mean.astype(np.float32), windows=total)
        self._write([new if v.id == voice_id else v for v in self._read()])
        return new

    def rename(self, voice_id: str, name: str) -> Voice:
        """Give a voice a new name."""
        new = replace(self.voice(voice_id), name=_clean(name))
        self._write([new if v.id == voice_id else v for v in self._read()])
        return new

    def delete(self, voice_id: str) -> None:
        """Remove a voice (an unknown id is an error, so a stale view finds out)."""
        self.voice(voice_id)
        self._write([v for v in self._read() if v.id != voice_id])

    def _read(self) -> list[Voice]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise LibraryError(f"cannot read the voice library: {exc.strerror or exc}") from exc
        try:
            body = json.loads(text)
            if body.get("version") != LIBRARY_VERSION:
                raise LibraryError(f"voice library of an unknown version {body.get('version')!r}")
            return [Voice.from_dict(v) for v in body["voices"]]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, LibraryError):
                raise
            raise LibraryError(f"unreadable voice library: {exc}") from exc

    def _write(self, voices: list[Voice]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": LIBRARY_VERSION, "voices": [v.to_dict() for v in voices]}
        write_text_atomic(self.path, json.dumps(body, ensure_ascii=False, indent=1) + "\n")


def _clean(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise LibraryError("a voice needs a name")
    return clean
