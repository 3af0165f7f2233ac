"""A job in the pool's queue, and the one table of legal state changes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from engine.protocol import ErrorCode, JobOptions, Stage


class JobState(str, enum.Enum):
    """Where a job is; every change goes through `Job.move_to`."""

    QUEUED = "queued"
    LOADING = "loading"  # assigned to a worker whose models are still loading
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True for the three end states."""
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)

    @property
    def active(self) -> bool:
        """True while a worker holds the job."""
        return self in (JobState.LOADING, JobState.RUNNING)


_S = JobState
LEGAL_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    # FAILED from QUEUED: no worker could be started for it at all.
    _S.QUEUED: frozenset({_S.LOADING, _S.RUNNING, _S.CANCELLED, _S.FAILED}),
    # Back to QUEUED: its worker died before or while running it (retry, or pool shutdown).
    _S.LOADING: frozenset({_S.RUNNING, _S.QUEUED, _S.FAILED, _S.CANCELLED}),
    _S.RUNNING: frozenset({_S.DONE, _S.FAILED, _S.CANCELLED, _S.QUEUED}),
    _S.DONE: frozenset(),
    # Retry by the user.
    _S.FAILED: frozenset({_S.QUEUED}),
    _S.CANCELLED: frozenset({_S.QUEUED}),
}


class IllegalTransition(RuntimeError):
    """A state change that `LEGAL_TRANSITIONS` does not allow."""


@dataclass
class Job:
    """One file to transcribe, as the pool and GUI see it."""

    id: str
    path: str
    options: JobOptions = field(default_factory=JobOptions)
    state: JobState = JobState.QUEUED
    stage: Stage | None = None
    percent: float = 0.0  # 0–100 over all stages, monotonic within an attempt
    eta_seconds: float | None = None
    audio_seconds: float | None = None
    error_code: ErrorCode | None = None
    error_message: str = ""
    error_detail: str = ""  # traceback or the worker's last stderr lines
    transcript: dict[str, Any] | None = None
    attempts: int = 0
    worker_pid: int | None = None
    started_at: float | None = None
    finished_at: float | None = None

    def move_to(self, state: JobState) -> None:
        """Change state, or raise IllegalTransition; the only place `state` is assigned."""
        if state not in LEGAL_TRANSITIONS[self.state]:
            raise IllegalTransition(f"job {self.id}: {self.state.value} -> {state.value}")
        self.state = state

    def reset_attempt(self) -> None:
        """Forget the progress and outcome of the previous attempt (before it runs again)."""
        self.stage = None
        self.percent = 0.0
        self.eta_seconds = None
        self.error_code = None
        self.error_message = ""
        self.error_detail = ""
        self.worker_pid = None
        self.started_at = None
        self.finished_at = None

    @property
    def speakers_found(self) -> int | None:
        """How many distinct speakers the transcript names, or None without a transcript."""
        if self.transcript is None:
            return None
        ids = {
            s.get("speaker")
            for s in self.transcript.get("sentences", [])
            if s.get("speaker") is not None
        }
        return len(ids)
