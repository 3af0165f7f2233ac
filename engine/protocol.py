"""The worker protocol: every message shape, its encoding, and a tolerant line reader.

One JSON object per line, UTF-8. Every object carries the protocol version ``v`` and a
``type``. Commands go to the worker's stdin; events come back on its stdout.
``docs/protocol.md`` is generated from this module (``python -m engine.protocol --markdown``)
and a test keeps the two equal.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

PROTOCOL_VERSION = 1


class ErrorCode(str, enum.Enum):
    """Why a job (or the worker) failed; the pool and GUI branch on these, never on text."""

    FILE_NOT_FOUND = "file_not_found"
    DECODE_FAILED = "decode_failed"
    NO_AUDIO_STREAM = "no_audio_stream"
    MODEL_LOAD_FAILED = "model_load_failed"
    CANCELLED = "cancelled"
    OUT_OF_MEMORY = "out_of_memory"
    BAD_REQUEST = "bad_request"
    WORKER_CRASHED = "worker_crashed"
    WORKER_START_FAILED = "worker_start_failed"
    INTERNAL = "internal"


ERROR_DESCRIPTIONS: dict[ErrorCode, str] = {
    ErrorCode.FILE_NOT_FOUND: "The input path does not exist or is not a file.",
    ErrorCode.DECODE_FAILED: "The file exists but could not be decoded as media.",
    ErrorCode.NO_AUDIO_STREAM: "The media file has no audio stream (e.g. a silent video).",
    ErrorCode.MODEL_LOAD_FAILED: "The worker could not load its model set; it exits after this.",
    ErrorCode.CANCELLED: "The job was cancelled by a `cancel` command.",
    ErrorCode.OUT_OF_MEMORY: "The worker ran out of memory on this job.",
    ErrorCode.BAD_REQUEST: "A command was malformed or named an unknown job.",
    ErrorCode.WORKER_CRASHED: "Pool only: the worker process died while running the job.",
    ErrorCode.WORKER_START_FAILED: "Pool only: the worker process could not be started.",
    ErrorCode.INTERNAL: "Any other failure inside the worker; `detail` has the traceback.",
}


class Stage(str, enum.Enum):
    """Pipeline stages reported by `progress`, in the order they run."""

    DECODE = "decode"
    VAD = "vad"
    ASR = "asr"
    PUNC = "punc"
    SPEAKERS = "speakers"


class ProtocolError(ValueError):
    """A line that is not a valid message of this protocol version."""


@dataclass(frozen=True)
class JobOptions:
    """Per-job choices: fixed speaker count (None = automatic), hotwords, diarization on/off."""

    speakers: int | None = None
    hotwords: str = ""
    diarize: bool = True


@dataclass(frozen=True)
class Message:
    """Base of every message; `type` names it on the wire."""

    type: ClassVar[str] = ""
    direction: ClassVar[str] = ""


# ---- commands (stdin) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Transcribe(Message):
    """Transcribe the file at `path` as job `job` (the worker runs one job at a time)."""

    type: ClassVar[str] = "transcribe"
    direction: ClassVar[str] = "command"
    job: str
    path: str
    options: JobOptions = field(default_factory=JobOptions)


@dataclass(frozen=True)
class Cancel(Message):
    """Stop job `job` at the next segment boundary; answered by `error{code: cancelled}`."""

    type: ClassVar[str] = "cancel"
    direction: ClassVar[str] = "command"
    job: str


@dataclass(frozen=True)
class Shutdown(Message):
    """Finish nothing further and exit with status 0."""

    type: ClassVar[str] = "shutdown"
    direction: ClassVar[str] = "command"


# ---- events (stdout) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hello(Message):
    """First event, sent once the models are loaded and the worker is ready for jobs."""

    type: ClassVar[str] = "hello"
    direction: ClassVar[str] = "event"
    engine_version: str
    pid: int
    device: str
    threads: int
    models: dict[str, str | None]
    load_seconds: float


@dataclass(frozen=True)
class Progress(Message):
    """Work done in `stage`: `done` of `total` units (segments, or 1 for whole-file stages)."""

    type: ClassVar[str] = "progress"
    direction: ClassVar[str] = "event"
    job: str
    stage: Stage
    done: int
    total: int
    audio_ms_done: int = 0
    audio_ms_total: int = 0


@dataclass(frozen=True)
class Segment(Message):
    """Recognised text of one speech segment, before punctuation and speakers (for live view)."""

    type: ClassVar[str] = "segment"
    direction: ClassVar[str] = "event"
    job: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Result(Message):
    """The job finished; `transcript` is the dict that `engine.transcript` adopts."""

    type: ClassVar[str] = "result"
    direction: ClassVar[str] = "event"
    job: str
    transcript: dict[str, Any]
    stats: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Error(Message):
    """The job (or, with `job` null, the worker) failed; exactly one of result/error per job."""

    type: ClassVar[str] = "error"
    direction: ClassVar[str] = "event"
    job: str | None
    code: ErrorCode
    message: str
    detail: str = ""


COMMANDS: tuple[type[Message], ...] = (Transcribe, Cancel, Shutdown)
EVENTS: tuple[type[Message], ...] = (Hello, Progress, Segment, Result, Error)
_BY_TYPE: dict[str, type[Message]] = {cls.type: cls for cls in COMMANDS + EVENTS}


def to_dict(message: Message) -> dict[str, Any]:
    """The wire form of `message` as a plain dict."""
    body: dict[str, Any] = {"v": PROTOCOL_VERSION, "type": message.type}
    for f in dataclasses.fields(message):
        value = getattr(message, f.name)
        if isinstance(value, enum.Enum):
            value = value.value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        body[f.name] = value
    return body


def encode(message: Message) -> bytes:
    """One protocol line (JSON + newline), UTF-8."""
    text = json.dumps(to_dict(message), ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def decode(line: bytes | str) -> Message:
    """Parse one line; raises ProtocolError for anything that is not a valid message."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"not UTF-8: {exc}") from None
    try:
        body = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"not JSON: {exc.msg}") from None
    if not isinstance(body, dict):
        raise ProtocolError("not a JSON object")
    version = body.get("v")
    if version != PROTOCOL_VERSION:
        raise ProtocolError(f"protocol version {version!r}, expected {PROTOCOL_VERSION}")
    cls = _BY_TYPE.get(str(body.get("type")))
    if cls is None:
        raise ProtocolError(f"unknown message type {body.get('type')!r}")
    return _build(cls, body)


def _build(cls: type[Message], body: dict[str, Any]) -> Message:
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in body:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ProtocolError(f"{cls.type}: missing field {f.name!r}")
            continue
        kwargs[f.name] = _coerce(cls.type, f.name, hints[f.name], body[f.name])
    return cls(**kwargs)


def _coerce(kind: str, name: str, hint: Any, value: Any) -> Any:
    """Check `value` against the field's type, converting enums and nested options."""
    if hint is JobOptions:
        if not isinstance(value, dict):
            raise ProtocolError(f"{kind}.{name}: expected an object")
        try:
            options = JobOptions(**value)
        except TypeError as exc:
            raise ProtocolError(f"{kind}.{name}: {exc}") from None
        if options.speakers is not None and (
            not isinstance(options.speakers, int) or options.speakers < 1
        ):
            raise ProtocolError(f"{kind}.{name}.speakers: expected a positive integer or null")
        return options
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise ProtocolError(f"{kind}.{name}: unknown value {value!r}") from None
    allowed = _allowed_types(hint)
    if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
        raise ProtocolError(f"{kind}.{name}: expected {hint}, got {type(value).__name__}")
    return value


def _allowed_types(hint: Any) -> tuple[type, ...]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        out: tuple[type, ...] = ()
        for arg in typing.get_args(hint):
            out += _allowed_types(arg)
        return out
    if hint is type(None):
        return (type(None),)
    if hint is float:
        return (int, float)
    base = origin or hint
    return (base,) if isinstance(base, type) else (object,)


class LineReader:
    """Splits a byte stream into messages; bad lines are reported to `on_bad_line`, not raised."""

    def __init__(self, on_bad_line: Callable[[bytes, str], None] | None = None) -> None:
        self._buffer = b""
        self._on_bad_line = on_bad_line or (lambda line, why: None)

    def feed(self, data: bytes) -> Iterator[Message]:
        """Add `data` and yield every complete, valid message now available."""
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if not line.strip():
                continue
            try:
                yield decode(line)
            except ProtocolError as exc:
                self._on_bad_line(line, str(exc))

    @property
    def pending(self) -> bytes:
        """Bytes of an incomplete last line, if any."""
        return self._buffer


# ---- documentation ------------------------------------------------------------------------


def markdown() -> str:
    """docs/protocol.md, generated from the definitions above."""
    out = [
        "# FunScribe worker protocol",
        "",
        "<!-- Generated by `python -m engine.protocol --markdown`; a test keeps it in sync. -->",
        "",
        f"Protocol version: **{PROTOCOL_VERSION}**. One JSON object per line, UTF-8. Every",
        'object has `"v"` (the protocol version) and `"type"`. A reader skips and reports a',
        "line that is not JSON or has another version. Times are integer milliseconds.",
        "",
        "A worker sends `hello` once its models are loaded, then serves one `transcribe` at a",
        "time. Each job ends with exactly one `result` or one `error`. Progress is monotonic.",
        "",
    ]
    for title, group in (("Commands (stdin)", COMMANDS), ("Events (stdout)", EVENTS)):
        out += [f"## {title}", ""]
        for cls in group:
            out += [f"### `{cls.type}`", "", (cls.__doc__ or "").strip(), ""]
            fields = dataclasses.fields(cls)
            if fields:
                out += ["| field | type |", "| --- | --- |"]
                hints = typing.get_type_hints(cls)
                out += [f"| `{f.name}` | `{_type_name(hints[f.name])}` |" for f in fields]
                out.append("")
            example = _EXAMPLES.get(cls.type)
            if example is not None:
                out += ["```json", encode(example).decode().strip(), "```", ""]
    out += ["## Job options", "", (JobOptions.__doc__ or "").strip(), ""]
    out += ["| field | type | default |", "| --- | --- | --- |"]
    hints = typing.get_type_hints(JobOptions)
    for f in dataclasses.fields(JobOptions):
        out.append(f"| `{f.name}` | `{_type_name(hints[f.name])}` | `{json.dumps(f.default)}` |")
    out += ["", "## Stages", ""]
    out += [f"- `{stage.value}`" for stage in Stage]
    out += ["", "## Error codes", "", "| code | meaning |", "| --- | --- |"]
    out += [f"| `{code.value}` | {ERROR_DESCRIPTIONS[code]} |" for code in ErrorCode]
    return "\n".join(out) + "\n"


def _type_name(hint: Any) -> str:
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "string (" + ", ".join(m.value for m in hint) + ")"
    if isinstance(hint, type) and hint is not type(None) and typing.get_origin(hint) is None:
        return "object" if dataclasses.is_dataclass(hint) else hint.__name__
    return str(hint).replace("typing.", "").replace("|", "\\|")


_EXAMPLES: dict[str, Message] = {
    "transcribe": Transcribe(job="j1", path="/tmp/talk.mp4", options=JobOptions(speakers=2)),
    "cancel": Cancel(job="j1"),
    "shutdown": Shutdown(),
    "hello": Hello(
        engine_version="0.1.0",
        pid=4242,
        device="cpu",
        threads=1,
        models={"asr": "/models/asr", "vad": "/models/vad", "punc": None, "spk": None},
        load_seconds=2.5,
    ),
    "progress": Progress(
        job="j1", stage=Stage.ASR, done=3, total=10, audio_ms_done=9000, audio_ms_total=31000
    ),
    "segment": Segment(job="j1", start=1200, end=3400, text="hello world"),
    "error": Error(job="j1", code=ErrorCode.NO_AUDIO_STREAM, message="no audio stream in x.mp4"),
}


if __name__ == "__main__":
    if sys.argv[1:] == ["--markdown"]:
        sys.stdout.write(markdown())
    else:
        sys.exit("usage: python -m engine.protocol --markdown")
