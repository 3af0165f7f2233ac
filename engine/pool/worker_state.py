"""A worker process's life as one enum and one table of legal changes (no Qt).

`WorkerHandle` holds the state and changes it only through `check_transition`; whether a
worker may be given a job is a property of its state, decided here and nowhere else.
"""

from __future__ import annotations

import enum


class WorkerState(str, enum.Enum):
    """Where a worker process is in its life."""

    STARTING = "starting"  # the process was asked to start
    LOADING = "loading"  # running, loading its models (no `hello` yet)
    IDLE = "idle"  # models loaded, no job
    BUSY = "busy"  # holds a job (sent to it once its models are loaded)
    STOPPING = "stopping"  # told to exit, killed, or failed for good: never takes a job again
    EXITED = "exited"  # the process is gone and its end was handled

    @property
    def accepting(self) -> bool:
        """May be given a job now."""
        return self in _ACCEPTING

    @property
    def alive(self) -> bool:
        """The process is (or is about to be) running."""
        return self is not WorkerState.EXITED


_W = WorkerState
_ACCEPTING = frozenset({_W.STARTING, _W.LOADING, _W.IDLE})

WORKER_TRANSITIONS: dict[WorkerState, frozenset[WorkerState]] = {
    _W.STARTING: frozenset({_W.LOADING, _W.BUSY, _W.STOPPING, _W.EXITED}),
    _W.LOADING: frozenset({_W.IDLE, _W.BUSY, _W.STOPPING, _W.EXITED}),
    _W.IDLE: frozenset({_W.BUSY, _W.STOPPING, _W.EXITED}),
    # Back to LOADING: a job cancelled before the models were loaded.
    _W.BUSY: frozenset({_W.IDLE, _W.LOADING, _W.STOPPING, _W.EXITED}),
    _W.STOPPING: frozenset({_W.EXITED}),
    _W.EXITED: frozenset(),
}

# Why each change happens, for the table in docs/protocol.md.
WORKER_TRANSITION_CAUSES: dict[tuple[WorkerState, WorkerState], str] = {
    (_W.STARTING, _W.LOADING): "the process started",
    (_W.STARTING, _W.BUSY): "a job was assigned before the process started",
    (_W.STARTING, _W.STOPPING): "stopped before it started",
    (_W.STARTING, _W.EXITED): "the program could not be started",
    (_W.LOADING, _W.IDLE): "`hello` of this protocol version",
    (_W.LOADING, _W.BUSY): "a job was assigned; it is sent after `hello`",
    (_W.LOADING, _W.STOPPING): (
        "stopped; load timeout; `hello` of another version; `model_load_failed`"
    ),
    (_W.LOADING, _W.EXITED): "died while loading",
    (_W.IDLE, _W.BUSY): "a job was assigned and sent",
    (_W.IDLE, _W.STOPPING): "stopped (shutdown, reconfigure, memory recycle)",
    (_W.IDLE, _W.EXITED): "died with no job",
    (_W.BUSY, _W.IDLE): "the worker answered the job with `result` or `error`",
    (_W.BUSY, _W.LOADING): "the job was cancelled before `hello`",
    (_W.BUSY, _W.STOPPING): "stopped; a cancel not answered in time; load failure",
    (_W.BUSY, _W.EXITED): "died during the job (its job ends with an error)",
    (_W.STOPPING, _W.EXITED): "the process is gone (SIGKILL after a grace period)",
}


class IllegalWorkerTransition(RuntimeError):
    """A state change that `WORKER_TRANSITIONS` does not allow."""


def check_transition(old: WorkerState, new: WorkerState, who: object = "worker") -> None:
    """Raise IllegalWorkerTransition unless the table allows `old` -> `new`."""
    if new not in WORKER_TRANSITIONS[old]:
        raise IllegalWorkerTransition(f"{who}: {old.value} -> {new.value}")


def markdown_table() -> str:
    """The transition table as Markdown rows (for docs/protocol.md)."""
    rows = ["| from | to | when | takes a job |", "| --- | --- | --- | --- |"]
    for old, targets in WORKER_TRANSITIONS.items():
        for new in sorted(targets, key=list(WorkerState).index):
            cause = WORKER_TRANSITION_CAUSES[(old, new)]
            accepts = "yes" if new.accepting else "no"
            rows.append(f"| `{old.value}` | `{new.value}` | {cause} | {accepts} |")
    return "\n".join(rows)
