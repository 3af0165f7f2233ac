"""Turn the settings into the pool's configuration and each new job's options."""

from __future__ import annotations

from engine.models.presets import PRESETS
from engine.pool.pool import PoolConfig
from engine.protocol import JobOptions
from gui.settings import DEFAULTS, Key, Settings

DEFAULT_PRESET = str(DEFAULTS[Key.MODEL_PRESET])


def preset_args(key: str) -> list[str]:
    """Worker arguments for a preset: its downloaded folders, else its hub ids."""
    from engine.models.cache import default_cache_dir, preset_model_set

    preset = PRESETS.get(key) or PRESETS[DEFAULT_PRESET]
    local = preset_model_set(preset, default_cache_dir())
    if local is not None:
        return local.worker_args()
    return [arg for role, ref in preset.models.items() for arg in (f"--{role}", ref.model_id)]


def pool_config(settings: Settings) -> PoolConfig:
    """The pool configuration the settings describe (0 workers/threads: the pool decides)."""
    models_dir = settings.models_dir()
    return PoolConfig(
        models_dir=models_dir or None,
        model_args=[] if models_dir else preset_args(settings.value(Key.MODEL_PRESET)),
        workers=settings.value(Key.WORKERS) or None,
        threads=settings.value(Key.THREADS) or None,
        device=settings.value(Key.DEVICE) or "cpu",
    )


def job_options(settings: Settings) -> JobOptions:
    """Options for a job added now: speaker count (0 = automatic), diarization, hotwords."""
    speakers = settings.value(Key.SPEAKERS)
    return JobOptions(
        speakers=speakers if speakers > 0 else None,
        hotwords=settings.value(Key.HOTWORDS).strip(),
        diarize=settings.value(Key.DIARIZE),
    )
