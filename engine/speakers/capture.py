"""Inside the worker: keep the embeddings FunASR clusters, with their windows' times.

`AutoModel.inference_with_vad` embeds every 1.5 s window of every VAD segment, concatenates
the embeddings in time order and passes them to `self.cb_model` (FunASR's ClusterBackend).
`ClusterRecorder` stands in for `cb_model` during a job: it records exactly that tensor, the
speaker count asked for and the labels the real backend returns, so the transcript is
FunASR's own. The windows' times are recomputed with FunASR's own `sv_chunk`
from the VAD segments, as `inference_with_vad` computes them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from engine.speakers.embeddings import SpeakerEmbeddings

log = logging.getLogger(__name__)
SAMPLES_PER_MS = 16  # FunASR slices segments at 16 kHz: int(ms * 16)


class ClusterRecorder:
    """Wraps an AutoModel's `cb_model` for one job and keeps what it was given."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.vectors: np.ndarray | None = None
        self.oracle_num: int | None = None
        self.labels: np.ndarray | None = None
        self.cluster: dict[str, Any] = {}

    @contextmanager
    def recording(self) -> Iterator[ClusterRecorder]:
        """Stand in for `cb_model` while the block runs (a model without one is left alone)."""
        backend = getattr(self._model, "cb_model", None)
        if backend is None:
            yield self
            return
        self.cluster = dict(getattr(backend, "model_config", {}) or {})

        def cluster(x: Any, **params: Any) -> Any:
            self.vectors = np.array(x.detach().cpu().numpy(), dtype=np.float32, copy=True)
            oracle = params.get("oracle_num")
            self.oracle_num = None if oracle is None else int(oracle)
            labels = backend(x, **params)
            self.labels = np.array(labels, dtype=np.int64, copy=True)  # before FunASR edits them
            return labels

        self._model.cb_model = cluster
        try:
            yield self
        finally:
            self._model.cb_model = backend

    def embeddings(
        self, segments_ms: Sequence[tuple[int, int]], samples: int, model_location: str | None
    ) -> SpeakerEmbeddings | None:
        """What was clustered, with window times; None if nothing was (or it cannot be timed)."""
        if self.vectors is None or model_location is None:
            return None
        windows = window_times(segments_ms, samples)
        if len(windows) != len(self.vectors):
            # Our reading of FunASR's windows disagrees with its own: keep nothing rather
            # than embeddings with wrong times.
            log.warning("speaker windows: %d timed, %d embedded", len(windows), len(self.vectors))
            return None
        return SpeakerEmbeddings(
            vectors=self.vectors,
            windows=windows,
            model=model_identity(model_location),
            speakers=self.oracle_num,
            cluster=self.cluster,
            labels=self.labels,
        )


def window_times(segments_ms: Sequence[tuple[int, int]], samples: int) -> np.ndarray:
    """(N, 2) start/end seconds of FunASR's speaker windows over these VAD segments."""
    from funasr.models.campplus.utils import sv_chunk

    rows: list[list[float]] = []
    for start, end in sorted(segments_ms):
        # As slice_padding_audio_samples cuts the segment, so sv_chunk sees the same length.
        first = int(start * SAMPLES_PER_MS)
        length = max(0, min(int(end * SAMPLES_PER_MS), samples) - first)
        chunks = sv_chunk([[start / 1000.0, end / 1000.0, np.zeros(length, dtype=np.float32)]])
        rows.extend([chunk[0], chunk[1]] for chunk in chunks)
    return np.array(rows, dtype=np.float64).reshape(-1, 2)


@lru_cache(maxsize=8)
def model_identity(location: str) -> str:
    """A speaker model's identity: a hash of its folder's files, or the hub id as given.

    Library voices match only embeddings from the same model; a path would break when the
    models move, a hash does not.
    """
    folder = Path(location)
    if not folder.is_dir():
        return location
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name.startswith("."):
            continue
        digest.update(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return "sha256:" + digest.hexdigest()[:32]
