"""The speaker-embeddings sidecar: every CAM++ window of a transcript, in one binary file.

A transcript `X.json` keeps its embeddings beside it in `X.speakers.npz` (not in the JSON: a
2-hour file has ~10,000 windows x 192 floats). One `.npz` (uncompressed numpy arrays, read
without pickle) holds:

- `vectors`  float32 (N, D): the embeddings exactly as FunASR clustered them;
- `windows`  float64 (N, 2): each window's start and end in seconds, FunASR's own numbers
  (`sv_chunk`), in the order of `vectors`, which is time order;
- `rng_keys` uint32 (624,): numpy's global Mersenne-Twister state when FunASR clustered
  (spectral clustering's k-means draws from it), so a re-cluster repeats it exactly;
- `labels`   int64 (N,): FunASR's cluster labels at transcription (for `speakers`);
- `header`   uint8: UTF-8 JSON, see `SpeakerEmbeddings.header`.

The same object travels in a worker result as base64 (`to_payload`), and a long job split
into batches can join its batches' parts with `SpeakerEmbeddings.joined`.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine.atomic import write_bytes_atomic

SIDECAR_VERSION = 1
SIDECAR_SUFFIX = ".speakers.npz"
PAYLOAD_KEY = "speaker_embeddings"  # the key in a worker result's transcript dict


class SidecarError(ValueError):
    """A sidecar that is missing, unreadable, or of a newer format."""


@dataclass(frozen=True)
class RngState:
    """numpy's legacy global RNG state (`np.random.get_state()`), without its type name."""

    keys: np.ndarray
    pos: int
    has_gauss: int
    cached_gaussian: float

    @classmethod
    def current(cls) -> RngState:
        """The global state now."""
        _, keys, pos, has_gauss, cached = np.random.get_state(legacy=True)
        return cls(np.array(keys, dtype=np.uint32), int(pos), int(has_gauss), float(cached))

    def restore(self) -> None:
        """Make this the global state."""
        np.random.set_state(("MT19937", self.keys, self.pos, self.has_gauss, self.cached_gaussian))


@dataclass(frozen=True)
class SpeakerEmbeddings:
    """One transcript's speaker windows and embeddings, and how they were clustered."""

    vectors: np.ndarray  # float32 (N, D)
    windows: np.ndarray  # float64 (N, 2), seconds
    model: str  # identity of the speaker model that made them (see capture.model_identity)
    speakers: int | None = None  # the speaker count asked for at transcription (None: auto)
    cluster: dict[str, Any] = field(default_factory=dict)  # ClusterBackend arguments
    rng: RngState | None = None
    labels: np.ndarray | None = None  # FunASR's labels at transcription, one per window

    def __post_init__(self) -> None:
        if self.vectors.ndim != 2 or self.windows.shape != (len(self.vectors), 2):
            raise SidecarError(
                f"embeddings {self.vectors.shape} and windows {self.windows.shape} disagree"
            )

    @property
    def count(self) -> int:
        """How many windows."""
        return int(self.vectors.shape[0])

    def header(self) -> dict[str, Any]:
        """The JSON part: format version, model identity, speaker count, cluster arguments."""
        header: dict[str, Any] = {
            "version": SIDECAR_VERSION,
            "model": self.model,
            "speakers": self.speakers,
            "cluster": self.cluster,
            "windows": self.count,
            "dim": int(self.vectors.shape[1]),
        }
        if self.rng is not None:
            header["rng"] = {
                "pos": self.rng.pos,
                "has_gauss": self.rng.has_gauss,
                "cached_gaussian": self.rng.cached_gaussian,
            }
        return header

    # ---- the file ----------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The sidecar file's bytes."""
        arrays: dict[str, np.ndarray] = {
            "header": np.frombuffer(json.dumps(self.header()).encode("utf-8"), dtype=np.uint8),
            "vectors": np.ascontiguousarray(self.vectors, dtype=np.float32),
            "windows": np.ascontiguousarray(self.windows, dtype=np.float64),
        }
        if self.rng is not None:
            arrays["rng_keys"] = self.rng.keys
        if self.labels is not None:
            arrays["labels"] = np.asarray(self.labels, dtype=np.int64)
        buffer = io.BytesIO()
        np.savez(buffer, allow_pickle=False, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SpeakerEmbeddings:
        """Read the bytes `to_bytes` wrote; SidecarError says what is wrong."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                header = json.loads(bytes(npz["header"]).decode("utf-8"))
                _check_version(header)
                rng = None
                if "rng" in header and "rng_keys" in npz:
                    r = header["rng"]
                    keys = np.array(npz["rng_keys"], dtype=np.uint32)
                    rng = RngState(
                        keys, int(r["pos"]), int(r["has_gauss"]), float(r["cached_gaussian"])
                    )
                speakers = header.get("speakers")
                return cls(
                    vectors=np.array(npz["vectors"], dtype=np.float32),
                    windows=np.array(npz["windows"], dtype=np.float64),
                    model=str(header["model"]),
                    speakers=None if speakers is None else int(speakers),
                    cluster=dict(header.get("cluster") or {}),
                    rng=rng,
                    labels=np.array(npz["labels"], dtype=np.int64) if "labels" in npz else None,
                )
        except SidecarError:
            raise
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            raise SidecarError(f"unreadable speaker embeddings: {exc}") from exc

    def save(self, path: str | Path) -> None:
        """Write the sidecar atomically."""
        write_bytes_atomic(path, self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> SpeakerEmbeddings:
        """Read a sidecar; SidecarError if it is missing or unreadable."""
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SidecarError(f"no speaker embeddings at {path}: {exc.strerror or exc}") from exc
        return cls.from_bytes(data)

    # ---- the worker result -------------------------------------------------------------

    def to_payload(self) -> dict[str, Any]:
        """A JSON-ready dict for a worker result (the sidecar's bytes in base64)."""
        return {"format": "npz-base64", "data": base64.b64encode(self.to_bytes()).decode("ascii")}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SpeakerEmbeddings:
        """Read what `to_payload` made."""
        if not isinstance(payload, dict) or payload.get("format") != "npz-base64":
            raise SidecarError("speaker embeddings payload of an unknown format")
        try:
            data = base64.b64decode(str(payload["data"]), validate=True)
        except (KeyError, ValueError) as exc:
            raise SidecarError(f"bad speaker embeddings payload: {exc}") from exc
        return cls.from_bytes(data)

    # ---- batches -----------------------------------------------------------------------

    @classmethod
    def joined(cls, parts: list[SpeakerEmbeddings]) -> SpeakerEmbeddings:
        """One file's embeddings from its batches' parts, in time order as FunASR orders them.

        The parts must come from one speaker model; header fields come from the first part.
        """
        if not parts:
            raise SidecarError("no parts to join")
        if len({p.model for p in parts}) != 1:
            raise SidecarError("parts come from different speaker models")
        vectors = np.concatenate([p.vectors for p in parts])
        windows = np.concatenate([p.windows for p in parts])
        # Stable, like FunASR's `sorted(all_segments, key=start)`; windows never share a start.
        order = np.argsort(windows[:, 0], kind="stable")
        # Labels belong to one clustering of the whole file, which parts do not have.
        return replace(parts[0], vectors=vectors[order], windows=windows[order], labels=None)


def sidecar_path(transcript_path: str | Path) -> Path:
    """Where the embeddings of the transcript saved at `transcript_path` live."""
    path = Path(transcript_path)
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(stem + SIDECAR_SUFFIX)


def attach_to_result(transcript: dict[str, Any], embeddings: SpeakerEmbeddings | None) -> None:
    """Put a job's embeddings into its worker result's transcript dict (nothing if None)."""
    if embeddings is not None:
        transcript[PAYLOAD_KEY] = embeddings.to_payload()


def from_result(transcript: dict[str, Any]) -> SpeakerEmbeddings | None:
    """The embeddings in a worker result's transcript dict, left in place.

    None when the result has none (no speaker model, diarization off, nothing spoken) or
    when they cannot be read; the transcript itself is unaffected either way.
    """
    payload = transcript.get(PAYLOAD_KEY)
    if payload is None:
        return None
    try:
        return SpeakerEmbeddings.from_payload(payload)
    except SidecarError:
        return None


def take_from_result(transcript: dict[str, Any]) -> SpeakerEmbeddings | None:
    """As `from_result`, and remove them from the dict (a held result stays small)."""
    embeddings = from_result(transcript)
    transcript.pop(PAYLOAD_KEY, None)
    return embeddings


def save_beside(transcript: dict[str, Any], transcript_path: str | Path) -> Path | None:
    """Write a worker result's embeddings beside its saved transcript; the sidecar's path."""
    embeddings = from_result(transcript)
    if embeddings is None:
        return None
    path = sidecar_path(transcript_path)
    embeddings.save(path)
    return path


def _check_version(header: dict[str, Any]) -> None:
    version = header.get("version")
    if not isinstance(version, int) or version < 1:
        raise SidecarError(f"speaker embeddings of a bad format version {version!r}")
    if version > SIDECAR_VERSION:
        raise SidecarError(
            f"speaker embeddings format {version} is newer than this FunScribe reads"
            f" ({SIDECAR_VERSION})"
        )
