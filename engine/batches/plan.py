"""A file's batch plan: its VAD segments in FunASR's order, packed into batches by FunASR's rule.

`AutoModel.inference_with_vad` (FunASR 1.4.16) sorts the VAD segments by length (a stable
sort) and packs them, shortest first, into batches: a batch grows while the next segment is
shorter than `batch_size_threshold_s` and the padded length (longest segment x count) stays
under `batch_size_s`. `pack` is that loop, line for line. On a GPU each such batch is one ASR
call. On the CPU FunASR runs every segment alone (it sets the batch size to 0), so there a
batch is a run of FunASR's one-segment calls, unchanged; either way every call FunASR makes
lies inside one batch, and the batch is the unit a worker runs and checkpoints.

Shared by the worker and the host: no torch, no funasr.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# FunASR's own default for the threshold; batch_size_s is ours on the CPU, where a batch is
# only the unit a worker runs and saves (see bench/batch_size.py and docs/batches.md): 3 s
# makes nearly every segment its own batch, so the workers share the end of a queue finely
# and finish together. FUNSCRIBE_BATCH_SIZE_S overrides it (the benchmark compares sizes;
# the plan key holds it). On a GPU a batch is one padded call: FunASR's default 300 s.
BATCH_SIZE_ENV = "FUNSCRIBE_BATCH_SIZE_S"
BATCH_SIZE_S = max(1, int(os.environ.get(BATCH_SIZE_ENV, "") or 3))
GPU_BATCH_SIZE_S = 300
BATCH_SIZE_THRESHOLD_S = 60
PLAN_FORMAT = 1


def batch_size_s(device: str) -> int:
    """The `batch_size_s` for FunASR's effective device (the one its models run on)."""
    return BATCH_SIZE_S if device == "cpu" else GPU_BATCH_SIZE_S


def pack(lengths_ms: Sequence[int], batch_size_s: int, threshold_s: int) -> list[tuple[int, int]]:
    """FunASR's packing of segments sorted by length: [start, end) ranges over that order."""
    batch_size = max(int(batch_size_s) * 1000, 1)
    threshold_ms = int(threshold_s) * 1000
    n = len(lengths_ms)
    if n:
        batch_size = max(batch_size, lengths_ms[0])
    batches: list[tuple[int, int]] = []
    begin, end, max_len = 0, 1, 0
    for j in range(n):
        sample = lengths_ms[j]
        potential = max(max_len, sample) * (j + 1 - begin)
        if j < n - 1 and sample < threshold_ms and potential < batch_size:
            max_len = max(max_len, sample)
            end += 1
            continue
        batches.append((begin, end))
        begin, end = end, end + 1
        max_len = sample  # as FunASR carries it into the next batch
    return batches


def sorted_order(segments: Sequence[Sequence[int]]) -> list[int]:
    """Indices of `segments` in FunASR's processing order (by length, stable)."""
    return sorted(range(len(segments)), key=lambda i: segments[i][1] - segments[i][0])


def source_identity(path: str) -> dict[str, Any]:
    """What makes a file the same file: its resolved path, size and modification time."""
    stat = Path(path).stat()
    return {"path": str(Path(path).resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def models_identity(models: dict[str, str | None]) -> dict[str, Any]:
    """Each model's location and, for a folder, its files as they are now (name, size,
    modification time): a model replaced inside the same folder makes another key."""
    out: dict[str, Any] = {}
    for role, where in models.items():
        folder = Path(where) if where else None
        if folder is None or not folder.is_dir():
            out[role] = where  # none, or a hub id resolved elsewhere
            continue
        files = []
        for path in sorted(folder.iterdir()):
            if path.is_file():
                stat = path.stat()
                files.append([path.name, stat.st_size, stat.st_mtime_ns])
        out[role] = {"path": str(folder.resolve()), "files": files}
    return out


def plan_key(source: dict[str, Any], models: dict[str, Any], asr_options: dict[str, Any]) -> str:
    """A digest of everything a batch's result depends on; another key means another plan."""
    material = {
        "format": PLAN_FORMAT,
        "source": source,
        "models": models,
        "options": asr_options,
    }
    text = json.dumps(material, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class FilePlan:
    """One file's VAD output and batches, as saved in its job folder (`plan.json`)."""

    key: str
    audio_ms: int
    vad: list[dict[str, Any]]  # FunASR's VAD output, replayed as is when batches run
    batches: list[tuple[int, int]]  # [start, end) over `order`

    @property
    def segments(self) -> list[tuple[int, int]]:
        """VAD segments in time order (ms)."""
        if not self.vad:
            return []
        return [(int(s[0]), int(s[1])) for s in self.vad[0]["value"]]

    @property
    def order(self) -> list[int]:
        """Segment indices in FunASR's processing order."""
        return sorted_order(self.segments)

    def batch_ms(self) -> list[int]:
        """Speech time of each batch."""
        segments, order = self.segments, self.order
        return [
            sum(segments[order[p]][1] - segments[order[p]][0] for p in range(start, end))
            for start, end in self.batches
        ]

    def batch_of(self, position: int) -> int:
        """The batch holding sorted position `position`."""
        for index, (start, end) in enumerate(self.batches):
            if start <= position < end:
                return index
        raise IndexError(position)

    def to_json(self) -> str:
        """The plan as saved."""
        return json.dumps({"format": PLAN_FORMAT, **asdict(self)})

    @classmethod
    def from_json(cls, text: str) -> FilePlan:
        """A saved plan (ValueError/KeyError/TypeError if it is not one)."""
        body = json.loads(text)
        if body.get("format") != PLAN_FORMAT:
            raise ValueError(f"plan format {body.get('format')!r}")
        return cls(
            key=str(body["key"]),
            audio_ms=int(body["audio_ms"]),
            vad=list(body["vad"]),
            batches=[(int(a), int(b)) for a, b in body["batches"]],
        )

    @classmethod
    def build(
        cls,
        key: str,
        audio_ms: int,
        vad: list[dict[str, Any]],
        batch_size_s: int,
        threshold_s: int,
    ) -> FilePlan:
        """The plan for FunASR's VAD output `vad` (one file: at most one entry)."""
        plan = cls(key=key, audio_ms=audio_ms, vad=vad, batches=[])
        segments = plan.segments
        lengths = [segments[i][1] - segments[i][0] for i in plan.order]
        return cls(key, audio_ms, vad, pack(lengths, batch_size_s, threshold_s))
