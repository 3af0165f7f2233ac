"""Events of the model download process (`python -m engine.models.download`), one per line.

Like the worker protocol: JSON objects on stdout, each with the version `v` and a `type`.
A download sends `plan` once, `progress` as bytes arrive, and ends with exactly one `done` or
`error`. Cancelling is the parent's job: it kills the process, and the files that arrived stay
as a partial download that the next run resumes.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar

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
_BY_TYPE = {cls.type: cls for cls in EVENTS}


def encode(event: DownloadEvent) -> bytes:
    """One line of JSON, UTF-8, newline-terminated."""
    body: dict[str, Any] = {"v": DOWNLOAD_PROTOCOL_VERSION, "type": event.type}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        body[f.name] = value.value if isinstance(value, enum.Enum) else value
    return (json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def decode(line: bytes | str) -> DownloadEvent:
    """Parse one line; raises ValueError for anything that is not a valid event."""
    try:
        body = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(body, dict) or body.get("v") != DOWNLOAD_PROTOCOL_VERSION:
        raise ValueError(f"not a version {DOWNLOAD_PROTOCOL_VERSION} download event")
    cls = _BY_TYPE.get(str(body.get("type")))
    if cls is None:
        raise ValueError(f"unknown download event {body.get('type')!r}")
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in body:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ValueError(f"{cls.type}: missing field {f.name!r}")
            continue
        value = body[f.name]
        hint = hints[f.name]
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            try:
                value = hint(value)
            except ValueError:
                raise ValueError(f"{cls.type}.{f.name}: unknown value {value!r}") from None
        kwargs[f.name] = value
    return cls(**kwargs)


class EventReader:
    """Splits a byte stream into events; bad lines go to `bad_lines`, never raise."""

    def __init__(self) -> None:
        self._buffer = b""
        self.bad_lines: list[bytes] = []

    def feed(self, data: bytes) -> list[DownloadEvent]:
        """Add `data`; return every complete event now available."""
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        events: list[DownloadEvent] = []
        for line in lines:
            if not line.strip():
                continue
            try:
                events.append(decode(line))
            except ValueError:
                self.bad_lines.append(line)
        return events
