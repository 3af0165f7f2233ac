"""A job's checkpoint folder: its plan and one file per finished batch, each written atomically.

    FOLDER/plan.json            the FilePlan
    FOLDER/batch-00003.npz      batch 3: "asr" (its raw ASR results as UTF-8 JSON bytes, one per
                                segment in FunASR's order), and with speakers "spk" (every
                                window's embedding, float32) and "spk_windows" (windows per
                                segment)

A file that cannot be read counts as missing: that batch runs again. Checkpoints are
removed once the transcript is saved (`remove`), and `prune` bounds the space all job
folders may take together.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.atomic import write_bytes_atomic, write_text_atomic
from engine.batches.plan import FilePlan

PLAN_NAME = "plan.json"
# Checkpoints are small (an hour of speech: ~4 MB of embeddings, ~1 MB of text and times);
# the bound is for a data directory that collects many abandoned jobs.
MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024


@dataclass
class BatchResult:
    """One batch's output: FunASR's raw ASR result and window embeddings per segment."""

    asr: list[dict[str, Any]] = field(default_factory=list)
    spk: list[np.ndarray] | None = None  # (windows, dim) per segment; None without speakers


def batch_path(folder: str | Path, index: int) -> Path:
    """Where batch `index` is saved."""
    return Path(folder) / f"batch-{index:05d}.npz"


def plan_path(folder: str | Path) -> Path:
    """Where the plan is saved."""
    return Path(folder) / PLAN_NAME


def save_plan(folder: str | Path, plan: FilePlan) -> None:
    """Save `plan` (creating the folder)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_text_atomic(plan_path(folder), plan.to_json())


def load_plan(folder: str | Path) -> FilePlan | None:
    """The saved plan, or None if there is none (or it cannot be read)."""
    try:
        return FilePlan.from_json(plan_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_batch(folder: str | Path, index: int, result: BatchResult) -> None:
    """Save one finished batch atomically."""
    arrays: dict[str, np.ndarray] = {"asr": _json_bytes(result.asr)}
    if result.spk is not None:
        counts = [len(e) for e in result.spk]
        dims = {e.shape[1] for e in result.spk if e.ndim == 2}
        dim = dims.pop() if len(dims) == 1 else 0
        stacked = np.concatenate(result.spk) if sum(counts) else np.zeros((0, dim), np.float32)
        arrays["spk"] = stacked
        arrays["spk_windows"] = np.array(counts, dtype=np.int64)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    write_bytes_atomic(batch_path(folder, index), buffer.getvalue())


def load_batch(folder: str | Path, index: int) -> BatchResult | None:
    """A saved batch, or None if it is missing or unreadable."""
    try:
        with np.load(batch_path(folder, index), allow_pickle=False) as data:
            asr = json.loads(bytes(data["asr"]).decode("utf-8"))
            spk = None
            if "spk" in data.files:
                stacked, counts = data["spk"], data["spk_windows"]
                bounds = np.cumsum(counts)[:-1]
                parts = np.split(stacked, bounds) if len(counts) else []
                spk = [np.ascontiguousarray(part) for part in parts]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    if not isinstance(asr, list) or (spk is not None and len(spk) != len(asr)):
        return None
    return BatchResult(asr=asr, spk=spk)


def finished_batches(folder: str | Path, plan: FilePlan) -> list[int]:
    """Indices of the plan's batches saved and readable, with the right segment count."""
    done = []
    for index, (start, end) in enumerate(plan.batches):
        result = load_batch(folder, index)
        if result is not None and len(result.asr) == end - start:
            done.append(index)
    return done


def remove(folder: str | Path) -> None:
    """Forget a job's checkpoints (its transcript is saved, or the job was removed)."""
    shutil.rmtree(folder, ignore_errors=True)


def prune(root: str | Path, keep: set[str], limit: int = MAX_CHECKPOINT_BYTES) -> list[Path]:
    """Remove the least recently written job folders under `root` until they fit in `limit`
    bytes; folders named in `keep` (running jobs) stay. Returns the removed folders."""
    folders = [p for p in Path(root).iterdir() if p.is_dir()] if Path(root).is_dir() else []
    sized = [(_newest(p), _size(p), p) for p in folders]
    total = sum(size for _, size, _ in sized)
    removed: list[Path] = []
    for _, size, path in sorted(sized, key=lambda item: item[0]):
        if total <= limit:
            break
        if path.name in keep:
            continue
        remove(path)
        total -= size
        removed.append(path)
    return removed


def json_copy(value: Any) -> Any:
    """A plain JSON copy of one of FunASR's results (what a checkpoint keeps of it)."""
    return json.loads(json.dumps(value, default=_plain_scalar))


def _json_bytes(value: Any) -> np.ndarray:
    text = json.dumps(value, default=_plain_scalar, ensure_ascii=False)
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _plain_scalar(value: Any) -> Any:
    # FunASR's results may hold numpy or torch scalars and arrays; every consumer reads them
    # through int()/float(), so their Python values are the same result.
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _newest(folder: Path) -> float:
    times = [p.stat().st_mtime for p in folder.rglob("*") if p.is_file()]
    return max(times, default=folder.stat().st_mtime)
