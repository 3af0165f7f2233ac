"""What a job's (or a part's) error means for it: run again, wait for a worker, or end.

The error code says who ended the job, never a flag; a job whose worker died MAX_CRASHES
times fails for good (a file that crashes every worker must not crash them forever).
"""

from __future__ import annotations

from engine.pool.jobs import JobState
from engine.protocol import Error, ErrorCode

MAX_CRASHES = 2  # a job whose worker died this often fails for good
# A job that ended with one of these never ran: it waits for a worker (or for every slot
# to break, which fails it with the slot's reason).
NEVER_RAN = frozenset(
    {
        ErrorCode.WORKER_START_FAILED,
        ErrorCode.MODEL_LOAD_FAILED,
        ErrorCode.LOAD_TIMEOUT,
        ErrorCode.PROTOCOL_MISMATCH,
        ErrorCode.STOPPED,
    }
)
# A part of a split file that ended with one of these runs again on another worker.
PART_LOST = NEVER_RAN | {ErrorCode.WORKER_CRASHED}


class Crashes:
    """Worker deaths per job, since it was submitted or last retried by the user."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, job_id: str) -> bool:
        """Count one more death under `job_id`; True while the job may run again."""
        self._counts[job_id] = self._counts.get(job_id, 0) + 1
        return self._counts[job_id] < MAX_CRASHES

    def forget(self, job_id: str) -> None:
        """Start counting afresh (a retry by the user, or the job removed)."""
        self._counts.pop(job_id, None)


def state_after(job_id: str, error: Error, requested: bool, crashes: Crashes) -> JobState:
    """Where a job goes after `error`; `requested`: the user asked to cancel it."""
    if requested and error.code in (ErrorCode.STOPPED, ErrorCode.WORKER_CRASHED):
        return JobState.CANCELLED  # the user's cancel stands, however the worker ended
    if error.code is ErrorCode.CANCELLED:
        return JobState.CANCELLED
    if error.code in NEVER_RAN:
        return JobState.QUEUED  # it runs on the next worker, or fails if every slot breaks
    if error.code is ErrorCode.WORKER_CRASHED:
        return JobState.QUEUED if crashes.add(job_id) else JobState.FAILED
    return JobState.FAILED
