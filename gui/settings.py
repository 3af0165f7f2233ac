"""App settings: an enum of keys over `QSettings`, each read back with its own type."""

from __future__ import annotations

import enum
import os
from typing import Any

from PySide6.QtCore import QSettings

from engine.speakers.suggest import DEFAULT_THRESHOLD

ORGANIZATION = "FunScribe"
APPLICATION = "FunScribe"
MODELS_ENV = "FUNSCRIBE_MODELS"


class Key(str, enum.Enum):
    """Every stored setting; the value is its `QSettings` key."""

    MODEL_PRESET = "models/preset"  # a key of engine.models.presets.PRESETS ("local": MODELS_DIR)
    MODELS_DIR = "models/dir"  # DIR/asr, DIR/vad, DIR/punc, DIR/spk
    DEVICE = "engine/device"
    WORKERS = "engine/workers"  # 0: from the pool's sizing
    THREADS = "engine/threads"  # 0: from the pool's sizing
    SPEAKERS = "jobs/speakers"  # 0: automatic
    VOICE_THRESHOLD = "speakers/voice_threshold"  # cosine from which a saved voice is suggested
    DIARIZE = "jobs/diarize"
    HOTWORDS = "jobs/hotwords"
    OUTPUT_DIR = "export/dir"  # "": next to each source file
    EXPORT_FORMATS = "export/formats"
    EXPORT_SCOPE = "export/scope"  # "selected" or "finished"
    LANGUAGE = "ui/language"  # "": from the system locale
    THEME = "ui/theme"  # "system", "light" or "dark"
    LAST_ADD_DIR = "ui/last_add_dir"
    WINDOW_GEOMETRY = "ui/geometry"  # hex of saveGeometry()
    SPLITTER_STATE = "ui/splitter"  # hex of saveState()


DEFAULTS: dict[Key, Any] = {
    Key.MODEL_PRESET: "zh",
    Key.MODELS_DIR: "",
    Key.DEVICE: "cpu",
    Key.WORKERS: 0,
    Key.THREADS: 0,
    Key.SPEAKERS: 0,
    Key.VOICE_THRESHOLD: DEFAULT_THRESHOLD,
    Key.DIARIZE: True,
    Key.HOTWORDS: "",
    Key.OUTPUT_DIR: "",
    Key.EXPORT_FORMATS: ["srt", "txt"],
    Key.EXPORT_SCOPE: "selected",
    Key.LANGUAGE: "",
    Key.THEME: "system",
    Key.LAST_ADD_DIR: "",
    Key.WINDOW_GEOMETRY: "",
    Key.SPLITTER_STATE: "",
}


def _coerce(raw: Any, default: Any) -> Any:
    """Convert what QSettings hands back (often a string in INI files) to the default's type."""
    if isinstance(default, bool):
        if isinstance(raw, str):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return bool(raw)
    if isinstance(default, float):
        try:
            return float(raw)
        except (TypeError, ValueError):
            return default
    if isinstance(default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            return default
    if isinstance(default, list):
        if isinstance(raw, str):
            return [part for part in raw.split(",") if part]
        if isinstance(raw, (list, tuple)):
            return [str(part) for part in raw]
        return list(default)
    return "" if raw is None else str(raw)


class Settings:
    """Typed access to the app's `QSettings` (INI format, user scope)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    def value(self, key: Key) -> Any:
        """The stored value of `key`, or its default, with the default's type."""
        default = DEFAULTS[key]
        raw = self._store.value(key.value, None)
        if raw is None:
            return list(default) if isinstance(default, list) else default
        return _coerce(raw, default)

    def set_value(self, key: Key, value: Any) -> None:
        """Store `value` under `key` (lists are stored comma-joined, so INI stays readable)."""
        if isinstance(value, (list, tuple)):
            value = ",".join(str(part) for part in value)
        self._store.setValue(key.value, value)

    def reset(self, key: Key) -> None:
        """Forget `key`, so it reads as its default again."""
        self._store.remove(key.value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()

    def models_dir(self) -> str:
        """The local model folder in use: `$FUNSCRIBE_MODELS` wins, then the setting."""
        from_env = os.environ.get(MODELS_ENV, "")
        if from_env:
            return from_env
        if self.value(Key.MODEL_PRESET) == "local":
            return str(self.value(Key.MODELS_DIR))
        return ""
