"""Events of the model download process (`python -m engine.models.download`), one per line.

The same codec as the worker protocol (`engine.jsonlines`): JSON objects on stdout, each
with the version `v` and a `type`.
A download sends `plan` once, `progress` as bytes arrive, and ends with exactly one `done` or
`error`. Cancelling is the parent's job: it kills the process, and the files that arrived stay
as a partial download that the next run resumes.
"""

from __future__ import annotations

import enum
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import ClassVar

from engine.jsonlines import Codec, LineReader, ProtocolError

log = logging.getLogger(__name__)

DOWNLOAD_PROTOCOL_VERSION = 1


class DownloadErrorCode(str, enum.Enum):
    """Why a download failed; callers branch on these, never on the text."""

    BAD_REQUEST = "bad_request"  # unknown preset, bad arguments
    NETWORK = "network"  # unreachable hub, dropped connection, timeout
    NOT_FOUND = "not_found"  # the hub has no such model or revision
    INTEGRITY = "integrity"  # wrong size or checksum, even after retries
    VERIFY_FAILED = "verify_failed"  # every file arrived but the folder does not verify
    DISK = "disk"  # no space, no permission
    INTERNAL = "internal"


@dataclass(frozen=True)
class DownloadEvent:
    """Base of every download event; `type` names it on the wire."""

    type: ClassVar[str] = ""


@dataclass(frozen=True)
class Plan(DownloadEvent):
    """What will be fetched: role → `model_id@revision`, and the bytes already on disk."""

    type: ClassVar[str] = "plan"
    preset: str
    models: dict[str, str]
    bytes_total: int
    bytes_done: int = 0


@dataclass(frozen=True)
class DownloadProgress(DownloadEvent):
    """Bytes on disk so far, speed in bytes/s, seconds left (null: unknown), current file."""

    type: ClassVar[str] = "progress"
    bytes_done: int
    bytes_total: int
    speed: float
    eta: float | None
    file: str


@dataclass(frozen=True)
class Done(DownloadEvent):
    """Every model arrived and verified: role → local folder."""

    type: ClassVar[str] = "done"
    preset: str
    folders: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DownloadError(DownloadEvent):
    """The download stopped; `message` says what failed and what to do, `detail` has the trace."""

    type: ClassVar[str] = "error"
    code: DownloadErrorCode
    message: str
    detail: str = ""


EVENTS: tuple[type[DownloadEvent], ...] = (Plan, DownloadProgress, Done, DownloadError)
CODEC: Codec[DownloadEvent] = Codec(DOWNLOAD_PROTOCOL_VERSION, EVENTS)
_KEPT_BAD_LINES = 10


def encode(event: DownloadEvent) -> bytes:
    """One line of JSON, UTF-8, newline-terminated."""
    return CODEC.encode(event)


def decode(line: bytes | str) -> DownloadEvent:
    """Parse one line; raises ProtocolError (a ValueError) for anything that is not an event."""
    return CODEC.decode(line)


class EventReader(LineReader[DownloadEvent]):
    """Splits a byte stream into events; bad lines are logged and counted, never raised."""

    def __init__(self) -> None:
        super().__init__(CODEC.decode, self._on_bad)
        self.bad_line_count = 0
        self.bad_lines: deque[bytes] = deque(maxlen=_KEPT_BAD_LINES)  # the latest few

    def _on_bad(self, line: bytes, error: ProtocolError) -> None:
        self.bad_line_count += 1
        self.bad_lines.append(line[:200])
        log.warning("download process: ignored line (%s): %r", error, line[:200])
