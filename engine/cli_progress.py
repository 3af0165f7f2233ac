"""Progress of a command-line run on stderr: live lines on a terminal, plain lines elsewhere."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from typing import TextIO

from engine.pool.jobs import Job, JobState

_PLAIN_INTERVAL_S = 10.0  # a plain-mode line per running file at most this often (same stage)
_LIVE_INTERVAL_S = 0.1


def format_duration(seconds: float | None) -> str:
    """'0:07', '12:30', '1:02:03'; '?' when unknown."""
    if seconds is None:
        return "?"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_text(job: Job) -> str:
    """One file's state: 'talk.wav  asr 45%  ETA 0:12'."""
    name = os.path.basename(job.path)
    if job.state is JobState.LOADING:
        return f"{name}  loading models"
    if job.state is JobState.QUEUED:
        return f"{name}  queued"
    stage = job.stage.value if job.stage else "starting"
    eta = f"  ETA {format_duration(job.eta_seconds)}" if job.eta_seconds is not None else ""
    return f"{name}  {stage} {job.percent:3.0f}%{eta}"


@dataclass
class Summary:
    """What a run did, for the closing lines."""

    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    cancelled: int = 0
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    broken: list[str] = field(default_factory=list)  # why worker slots gave up

    def lines(self) -> list[str]:
        """The summary as text lines."""
        total = self.done + len(self.failed) + self.cancelled
        out = [
            f"{total} file{'s' if total != 1 else ''}: {self.done} done, "
            f"{len(self.failed)} failed, {self.cancelled} cancelled"
        ]
        if self.failed:
            out.append("failed:")
            out += [f"  {path}: {reason}" for path, reason in self.failed]
        out += [f"error: no worker could run the files: {reason}" for reason in self.broken]
        hours = self.audio_seconds / 3600
        timing = f"audio {hours:.3f} h in {self.wall_seconds:.1f} s wall"
        if self.audio_seconds > 0 and self.wall_seconds > 0:
            rtf = self.wall_seconds / self.audio_seconds
            timing += f", realtime factor {rtf:.3f} ({1 / rtf:.1f}x realtime)"
        out.append(timing)
        return out


class ProgressView:
    """Draws running files; finished ones become permanent lines above the live block."""

    def __init__(self, stream: TextIO, live: bool | None = None) -> None:
        self._stream = stream
        self.live = _is_terminal(stream) if live is None else live
        self._running: dict[str, Job] = {}
        self._drawn = 0  # live lines currently on screen
        self._last_draw = 0.0
        self._plain_seen: dict[str, tuple[JobState, str | None, float]] = {}

    def update(self, job: Job) -> None:
        """A job changed (state, stage, percent or ETA)."""
        if job.state.active:
            self._running[job.id] = job
        else:
            self._running.pop(job.id, None)
        if self.live:
            now = time.monotonic()
            if now - self._last_draw >= _LIVE_INTERVAL_S or not job.state.active:
                self._redraw()
        elif job.state.active:
            self._plain(job)

    def message(self, text: str) -> None:
        """A permanent line (a file finished, a note)."""
        if self.live:
            self._clear()
            self._stream.write(text + "\n")
            self._redraw()
        else:
            self._stream.write(text + "\n")
            self._stream.flush()

    def close(self) -> None:
        """Remove the live block before the summary."""
        self._running.clear()
        if self.live:
            self._clear()
            self._stream.flush()

    def _plain(self, job: Job) -> None:
        now = time.monotonic()
        seen = self._plain_seen.get(job.id)
        if seen and seen[:2] == (job.state, job.stage) and now - seen[2] < _PLAIN_INTERVAL_S:
            return
        self._plain_seen[job.id] = (job.state, job.stage, now)
        self._stream.write(status_text(job) + "\n")
        self._stream.flush()

    def _clear(self) -> None:
        if self._drawn:
            # Up to the first live line, then erase to the end of the screen.
            self._stream.write(f"\r\x1b[{self._drawn}A\x1b[J")
            self._drawn = 0

    def _redraw(self) -> None:
        self._clear()
        width = max(20, shutil.get_terminal_size((100, 20)).columns - 1)
        for job in self._running.values():
            self._stream.write(status_text(job)[:width] + "\n")
        self._drawn = len(self._running)
        self._last_draw = time.monotonic()
        self._stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
