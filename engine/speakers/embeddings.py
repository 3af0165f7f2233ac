"""The speaker-embeddings sidecar: every CAM++ window of a transcript, in one binary file.

A transcript `X.json` keeps its embeddings beside it in `X.speakers.npz` (not in the JSON: a
2-hour file has ~10,000 windows x 192 floats). One `.npz` (uncompressed numpy arrays, read
without pickle) holds:

- `vectors`  float32 (N, D): the embeddings exactly as FunASR clustered them;
- `windows`  float64 (N, 2): each window's start and end in seconds, FunASR's own numbers
  (`sv_chunk`), in the order of `vectors`, which is time order;
- `labels`   int64 (N,): FunASR's cluster labels at transcription (for `speakers`);
- `header`   uint8: UTF-8 JSON, see `SpeakerEmbeddings.header`.

The same object travels in a worker result as base64 arrays (`to_payload`, byte-for-byte the
same for the same job on any worker), and a long job split into batches can join its
batches' parts with `SpeakerEmbeddings.joined`.
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
PAYLOAD_FORMAT = "arrays-base64"
_DTYPES = {"vectors": np.float32, "windows": np.float64, "labels": np.int64}


class SidecarError(ValueError):
    """A sidecar that is missing, unreadable, or of a newer format."""


@dataclass(frozen=True)
class SpeakerEmbeddings:
    """One transcript's speaker windows and embeddings, and how they were clustered."""

    vectors: np.ndarray  # float32 (N, D)
    windows: np.ndarray  # float64 (N, 2), seconds
    model: str  # identity of the speaker model that made them (see capture.model_identity)
    speakers: int | None = None  # the speaker count asked for at transcription (None: auto)
    cluster: dict[str, Any] = field(default_factory=dict)  # ClusterBackend arguments
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
        return header

    # ---- the file ----------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The sidecar file's bytes."""
        arrays = {
            "header": np.frombuffer(json.dumps(self.header()).encode("utf-8"), dtype=np.uint8),
            **self._arrays(),
        }
        buffer = io.BytesIO()
        np.savez(buffer, allow_pickle=False, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SpeakerEmbeddings:
        """Read the bytes `to_bytes` wrote; SidecarError says what is wrong."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                header = json.loads(bytes(npz["header"]).decode("utf-8"))
                return cls._from_parts(header, {name: npz[name] for name in npz.files})
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
        """A JSON-ready dict for a worker result: the header and base64 array bytes."""
        return {
            "format": PAYLOAD_FORMAT,
            "header": self.header(),
            **{
                name: base64.b64encode(a.tobytes()).decode("ascii")
                for name, a in self._arrays().items()
            },
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SpeakerEmbeddings:
        """Read what `to_payload` made."""
        if not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
            raise SidecarError("speaker embeddings payload of an unknown format")
        try:
            header = dict(payload["header"])
            arrays = {
                name: np.frombuffer(base64.b64decode(str(payload[name]), validate=True), dtype)
                for name, dtype in _DTYPES.items()
                if name in payload
            }
            if "windows" in arrays:
                arrays["windows"] = arrays["windows"].reshape(-1, 2)
            if "vectors" in arrays:
                arrays["vectors"] = arrays["vectors"].reshape(-1, int(header["dim"]))
            return cls._from_parts(header, arrays)
        except SidecarError:
            raise
        except (KeyError, ValueError, TypeError) as exc:
            raise SidecarError(f"bad speaker embeddings payload: {exc}") from exc

    # ---- shared by both ----------------------------------------------------------------

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {
            "vectors": np.ascontiguousarray(self.vectors, dtype=np.float32),
            "windows": np.ascontiguousarray(self.windows, dtype=np.float64),
        }
        if self.labels is not None:
            arrays["labels"] = np.ascontiguousarray(self.labels, dtype=np.int64)
        return arrays

    @classmethod
    def _from_parts(
        cls, header: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> SpeakerEmbeddings:
        _check_version(header)
        speakers = header.get("speakers")
        labels = arrays.get("labels")
        return cls(
            vectors=np.array(arrays["vectors"], dtype=np.float32),
            windows=np.array(arrays["windows"], dtype=np.float64),
            model=str(header["model"]),
            speakers=None if speakers is None else int(speakers),
            cluster=dict(header.get("cluster") or {}),
            labels=None if labels is None else np.array(labels, dtype=np.int64),
        )

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
