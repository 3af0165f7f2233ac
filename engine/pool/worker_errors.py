"""The errors a worker handle reports for a worker's end, worded in one place (no Qt).

Each names what happened and, where the worker said something, its last stderr line, so a
job's failure reads as a cause ("worker died while running this job (exit code -9, SIGKILL)")
and never as a guess from an exit code alone.
"""

from __future__ import annotations

from engine.pool.procs import describe_exit, last_message
from engine.protocol import PROTOCOL_VERSION, Error, ErrorCode

CANCELLED_BY_KILL = "cancelled (worker stopped)"
STOPPED_BY_POOL = "stopped (the pool stopped its worker)"


def start_failed(program: str, why: str) -> Error:
    """The program could not be started at all."""
    return Error(None, ErrorCode.WORKER_START_FAILED, f"could not start worker {program!r}: {why}")


def load_timeout(seconds: float, stderr_tail: str) -> Error:
    """No `hello` within the load timeout."""
    text = f"worker did not load its models within {seconds:g} s"
    return Error(None, ErrorCode.LOAD_TIMEOUT, text, stderr_tail)


def protocol_mismatch(version: object) -> Error:
    """The worker's first words were of another protocol version."""
    text = f"worker speaks protocol v{version}, this app v{PROTOCOL_VERSION}"
    return Error(None, ErrorCode.PROTOCOL_MISMATCH, text)


def for_job(error: Error, job: str | None) -> Error:
    """The same error, about `job`."""
    return Error(job, error.code, error.message, error.detail)


def died(exit_code: int, job: str | None, loaded: bool, stderr_tail: str) -> Error:
    """A death nobody asked for: before the models were ready, with no job, or mid-job."""
    how = describe_exit(exit_code)
    if not loaded:
        text = f"worker exited before its models were ready ({how})"
        code = ErrorCode.WORKER_START_FAILED
    elif job is None:
        text = f"worker exited with no job ({how})"
        code = ErrorCode.WORKER_CRASHED
    else:
        text = f"worker died while running this job ({how})"
        code = ErrorCode.WORKER_CRASHED
    last = last_message(stderr_tail)
    return Error(job, code, f"{text}: {last}" if last else text, stderr_tail)
