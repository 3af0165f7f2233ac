"""What a cluster run did: the closing lines on stderr and the JSON summary for scripts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.atomic import write_bytes_atomic
from engine.cli_progress import Summary
from engine.pool.jobs import Job, JobState

SUMMARY_VERSION = 1


@dataclass
class FileRecord:
    """One input's outcome beyond its Job: outputs, the actor that ran it, earlier attempts."""

    job: Job
    shown: str  # the path as the user gave it
    outputs: list[str] = field(default_factory=list)
    retries: list[str] = field(default_factory=list)  # why each earlier attempt was lost
    avoid: set[int] = field(default_factory=set)  # actors that died running it
    actor: int | None = None
    node: str | None = None
    write_error: str = ""

    def reason(self) -> str:
        """Why it failed, worded as the local CLI words it."""
        if self.write_error:
            return self.write_error
        job = self.job
        code = f" [{job.error_code.value}]" if job.error_code else ""
        return f"{job.error_message or 'failed'}{code}"

    @property
    def done(self) -> bool:
        """Transcribed and written."""
        return self.job.state is JobState.DONE and not self.write_error


def summary(records: list[FileRecord], wall_seconds: float) -> Summary:
    """The local CLI's summary of these files."""
    out = Summary(wall_seconds=wall_seconds)
    for record in records:
        if record.done:
            out.done += 1
            out.audio_seconds += record.job.audio_seconds or 0.0
        elif record.job.state is JobState.FAILED or record.write_error:
            out.failed.append((record.shown, record.reason()))
        else:
            out.cancelled += 1  # cancelled, or never started before an interrupt
    return out


def retry_lines(records: list[FileRecord]) -> list[str]:
    """'retried:' and one line per file that lost an attempt to a dead actor."""
    retried = [r for r in records if r.retries]
    if not retried:
        return []
    return ["retried:", *(f"  {r.shown}: {'; '.join(r.retries)}" for r in retried)]


def summary_dict(
    records: list[FileRecord],
    actors: list[dict[str, Any]],
    wall_seconds: float,
    exit_code: int,
    audio_from: str,
) -> dict[str, Any]:
    """Everything above as one JSON object (`--summary-json`)."""
    totals = summary(records, wall_seconds)
    return {
        "version": SUMMARY_VERSION,
        "exit_code": exit_code,
        "files": [_file_dict(r) for r in records],
        "done": totals.done,
        "failed": len(totals.failed),
        "cancelled": totals.cancelled,
        "retried": sum(1 for r in records if r.retries),
        "audio_seconds": round(totals.audio_seconds, 3),
        "wall_seconds": round(wall_seconds, 3),
        "audio_from": audio_from,
        "actors": actors,
    }


def _file_dict(record: FileRecord) -> dict[str, Any]:
    job = record.job
    state = "done" if record.done else ("failed" if record.write_error else job.state.value)
    wall = (job.finished_at - job.started_at) if job.finished_at and job.started_at else None
    return {
        "path": record.shown,
        "state": state,
        "outputs": record.outputs,
        "reason": None if record.done or state == "cancelled" else record.reason(),
        "code": job.error_code.value if job.error_code else None,
        "attempts": job.attempts,
        "retries": record.retries,
        "actor": record.actor,
        "node": record.node,
        "audio_seconds": job.audio_seconds,
        "wall_seconds": round(wall, 3) if wall is not None else None,
    }


def write_summary(path: Path, data: dict[str, Any]) -> None:
    """The JSON summary, written atomically."""
    write_bytes_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
