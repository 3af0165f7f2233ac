"""Overall percent from stage weights, and ETA from a worker's measured throughput."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from engine.protocol import Progress, Stage

if TYPE_CHECKING:
    from engine.pool.jobs import Job

# Share of a typical job's wall time per stage (CPU, Paraformer + CAM++); sums to 100.
STAGE_WEIGHTS: dict[Stage, float] = {
    Stage.DECODE: 5.0,
    Stage.VAD: 5.0,
    Stage.ASR: 70.0,
    Stage.PUNC: 5.0,
    Stage.SPEAKERS: 15.0,
}
_ORDER = list(Stage)


def overall_percent(progress: Progress) -> float:
    """0–100 across all stages; earlier stages count as complete, ASR goes by audio time."""
    before = sum(STAGE_WEIGHTS[s] for s in _ORDER[: _ORDER.index(progress.stage)])
    if progress.stage is Stage.ASR and progress.audio_ms_total > 0:
        fraction = progress.audio_ms_done / progress.audio_ms_total
    elif progress.total > 0:
        fraction = progress.done / progress.total
    else:
        fraction = 0.0
    fraction = min(max(fraction, 0.0), 1.0)
    return round(before + STAGE_WEIGHTS[progress.stage] * fraction, 2)


def audio_seconds_of(progress: Progress) -> float | None:
    """The file's duration, once a progress event knows it (end of decode, or VAD)."""
    if progress.stage is Stage.DECODE and progress.done >= progress.total > 0:
        return progress.audio_ms_total / 1000
    if progress.stage is Stage.VAD and progress.audio_ms_total > 0:
        return progress.audio_ms_total / 1000
    return None


class Throughput:
    """Audio seconds per wall second of one worker, over its finished jobs and the current one."""

    def __init__(self) -> None:
        self.audio_seconds = 0.0
        self.wall_seconds = 0.0

    def add(self, audio_seconds: float, wall_seconds: float) -> None:
        """Count a finished job."""
        if audio_seconds > 0 and wall_seconds > 0:
            self.audio_seconds += audio_seconds
            self.wall_seconds += wall_seconds

    def rate(self, current_audio_done: float = 0.0, current_elapsed: float = 0.0) -> float | None:
        """Audio seconds per wall second, or None before anything was measured."""
        audio = self.audio_seconds + max(current_audio_done, 0.0)
        wall = self.wall_seconds + max(current_elapsed, 0.0)
        if audio <= 0 or wall <= 0:
            return None
        return audio / wall

    def eta(self, audio_seconds: float | None, percent: float, elapsed: float) -> float | None:
        """Seconds left for a job of `audio_seconds` that is `percent` done after `elapsed` s."""
        if not audio_seconds:
            return None
        done = audio_seconds * percent / 100
        rate = self.rate(done, elapsed)
        if rate is None:
            return None
        return max(audio_seconds - done, 0.0) / rate


def apply_progress(job: Job, progress: Progress, throughput: Throughput) -> None:
    """A job's stage, percent (never going back), duration and ETA after `progress`."""
    job.stage = progress.stage
    job.percent = max(job.percent, overall_percent(progress))
    job.audio_seconds = audio_seconds_of(progress) or job.audio_seconds
    elapsed = time.time() - (job.started_at or time.time())
    job.eta_seconds = throughput.eta(job.audio_seconds, job.percent, elapsed)
