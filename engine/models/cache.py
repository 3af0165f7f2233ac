"""The model cache: one folder per hub model and revision, complete only once marked so.

Layout: `CACHE/<owner>/<name>/<revision>/` holds the model's files as the hub client writes
them (`<file>.incomplete` while a file is still arriving). The `.complete` marker is written
only after every file arrived and the folder verified, so an interrupted download is never
taken for a model: it stays "partial" and the next download resumes it.
"""

from __future__ import annotations

import enum
import json
import os
import shutil
from pathlib import Path

from engine.model_set import ModelSet
from engine.models.presets import PRESETS, ModelRef, Preset
from engine.models.verify import COMPLETE_MARKER, PARTIAL_SUFFIX

CACHE_ENV = "FUNSCRIBE_MODEL_CACHE"
DATA_DIR_ENV = "FUNSCRIBE_DATA_DIR"  # the app's data folder (gui/session_store.py)
HUB_STATE_DIR = ".hub"  # the hub client's locks and bookkeeping, kept inside our cache


class PresetState(str, enum.Enum):
    """How much of a preset is on disk."""

    PRESENT = "present"
    PARTIAL = "partial"
    MISSING = "missing"


def default_cache_dir() -> Path:
    """`$FUNSCRIBE_MODEL_CACHE`, else `models/` in the app's data folder (`$FUNSCRIBE_DATA_DIR`)."""
    override = os.environ.get(CACHE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    data_dir = os.environ.get(DATA_DIR_ENV, "").strip()
    if data_dir:
        return Path(data_dir).expanduser() / "models"
    from platformdirs import user_data_dir

    # Local, not roaming, app data: model sets are gigabytes.
    return Path(user_data_dir("FunScribe", "FunScribe", roaming=False)) / "models"


def model_folder(cache: Path, ref: ModelRef) -> Path:
    """Where `ref` lives in `cache`."""
    owner, _, name = ref.model_id.partition("/")
    return cache / _safe(owner) / _safe(name or owner) / _safe(ref.revision)


def is_complete(folder: Path) -> bool:
    """True once the download wrote the `.complete` marker (after verifying the files)."""
    return (folder / COMPLETE_MARKER).is_file()


def mark_complete(folder: Path, ref: ModelRef) -> None:
    """Record that `folder` holds all of `ref`; written last, atomically."""
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    body = {"model_id": ref.model_id, "revision": ref.revision, "files": files}
    tmp = folder / (COMPLETE_MARKER + ".tmp")
    tmp.write_text(json.dumps(body, indent=1), encoding="utf-8")
    os.replace(tmp, folder / COMPLETE_MARKER)


def preset_state(preset: Preset, cache: Path) -> PresetState:
    """Present when every model is complete; partial when some bytes of it are on disk."""
    folders = [model_folder(cache, ref) for ref in preset.models.values()]
    if folders and all(is_complete(f) for f in folders):
        return PresetState.PRESENT
    if any(f.is_dir() and any(f.iterdir()) for f in folders):
        return PresetState.PARTIAL
    return PresetState.MISSING


def preset_model_set(preset: Preset, cache: Path) -> ModelSet | None:
    """The preset's folders as a ModelSet, or None until all of them are complete."""
    if preset_state(preset, cache) is not PresetState.PRESENT:
        return None
    folders = {role: str(model_folder(cache, ref)) for role, ref in preset.models.items()}
    return ModelSet(
        asr=folders["asr"], vad=folders.get("vad"), punc=folders.get("punc"), spk=folders.get("spk")
    )


def bytes_on_disk(preset: Preset, cache: Path) -> int:
    """Bytes of the preset's models in the cache, partial files included."""
    total = 0
    for ref in preset.models.values():
        folder = model_folder(cache, ref)
        if folder.is_dir():
            total += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return total


def remove_preset(preset: Preset, cache: Path) -> list[Path]:
    """Delete the preset's model folders, keeping any that another present preset uses."""
    keep = {
        model_folder(cache, ref)
        for other in PRESETS.values()
        if other.key != preset.key and preset_state(other, cache) is PresetState.PRESENT
        for ref in other.models.values()
    }
    removed: list[Path] = []
    for ref in preset.models.values():
        folder = model_folder(cache, ref)
        if folder in keep or not folder.exists():
            continue
        # Drop the marker first, so a removal cut short never leaves a "complete" half model.
        (folder / COMPLETE_MARKER).unlink(missing_ok=True)
        shutil.rmtree(folder)
        removed.append(folder)
    return removed


def partial_files(folder: Path) -> list[Path]:
    """Files the hub client left half-downloaded in `folder` (resumed by the next download)."""
    return sorted(folder.rglob(f"*{PARTIAL_SUFFIX}")) if folder.is_dir() else []


def _safe(part: str) -> str:
    """A path component that cannot climb out of the cache."""
    cleaned = "".join(c if c.isalnum() or c in "-_.+" else "_" for c in part).strip(".")
    return cleaned or "_"
