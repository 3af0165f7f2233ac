"""Queued files' lengths for the split policy, read from each container's header once."""

from __future__ import annotations

from engine.pool.jobs import Job


class FileDurations:
    """`duration(job)` in ms (None when the header does not say); each path is probed once."""

    def __init__(self) -> None:
        self._known: dict[str, int | None] = {}

    def __call__(self, job: Job) -> int | None:
        if job.audio_seconds:
            return int(job.audio_seconds * 1000)
        if job.path not in self._known:
            # Imported here: PyAV is only needed once a split pool has a queue to look at.
            from engine.audio import probe_duration_ms

            self._known[job.path] = probe_duration_ms(job.path)
        return self._known[job.path]
