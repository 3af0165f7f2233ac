"""The worker protocol: every message shape, its encoding, and a tolerant line reader.

One JSON object per line, UTF-8. Every object carries the protocol version ``v`` and a
``type``. Commands go to the worker's stdin; events come back on its stdout.
The codec itself is `engine.jsonlines`. ``docs/protocol.md`` is generated from this module
and the worker state table (``python -m engine.protocol_docs``); a test keeps them equal.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from engine import jsonlines
from engine.jsonlines import Codec
from engine.jsonlines import ProtocolError as ProtocolError
from engine.jsonlines import VersionMismatch as VersionMismatch

# 2: a file can run as a set of batches (`plan`, `batch`, `assemble`; `planned`, `batch_done`).
PROTOCOL_VERSION = 2


class ErrorCode(str, enum.Enum):
    """Why a job (or the worker) failed; the pool and GUI branch on these, never on text."""

    FILE_NOT_FOUND = "file_not_found"
    DECODE_FAILED = "decode_failed"
    NO_AUDIO_STREAM = "no_audio_stream"
    MODEL_LOAD_FAILED = "model_load_failed"
    CANCELLED = "cancelled"
    STOPPED = "stopped"
    OUT_OF_MEMORY = "out_of_memory"
    BAD_REQUEST = "bad_request"
    WORKER_CRASHED = "worker_crashed"
    WORKER_START_FAILED = "worker_start_failed"
    LOAD_TIMEOUT = "load_timeout"
    PROTOCOL_MISMATCH = "protocol_mismatch"
    INTERNAL = "internal"


ERROR_DESCRIPTIONS: dict[ErrorCode, str] = {
    ErrorCode.FILE_NOT_FOUND: "The input path does not exist or is not a file.",
    ErrorCode.DECODE_FAILED: "The file exists but could not be decoded as media.",
    ErrorCode.NO_AUDIO_STREAM: "The media file has no audio stream (e.g. a silent video).",
    ErrorCode.MODEL_LOAD_FAILED: "The worker could not load its model set; it exits after this.",
    ErrorCode.CANCELLED: "The user cancelled the job (a `cancel` command, or a kill after it).",
    ErrorCode.STOPPED: (
        "The job was interrupted because the worker was told to stop (`shutdown`, end of input,"
        " or the pool stopping it); never the user's cancel. The pool queues it again."
    ),
    ErrorCode.OUT_OF_MEMORY: (
        "The worker ran out of memory on this job (a `MemoryError` or torch `OutOfMemoryError`)."
    ),
    ErrorCode.BAD_REQUEST: "A command was malformed or named an unknown job.",
    ErrorCode.WORKER_CRASHED: "Pool only: the worker process died while running the job.",
    ErrorCode.WORKER_START_FAILED: (
        "Pool only: the worker process could not be started, or died before it was ready."
    ),
    ErrorCode.LOAD_TIMEOUT: "Pool only: the worker did not load its models in time.",
    ErrorCode.PROTOCOL_MISMATCH: "Pool only: the worker speaks another protocol version.",
    ErrorCode.INTERNAL: "Any other failure inside the worker; `detail` has the traceback.",
}


class Stage(str, enum.Enum):
    """Pipeline stages reported by `progress`, in the order they run."""

    DECODE = "decode"
    VAD = "vad"
    ASR = "asr"
    PUNC = "punc"
    SPEAKERS = "speakers"


@dataclass(frozen=True)
class JobOptions:
    """Per-job choices: fixed speaker count (None = automatic), hotwords, diarization on/off."""

    speakers: int | None = None
    hotwords: str = ""
    diarize: bool = True

    def problem(self) -> str | None:
        """What is wrong with these options beyond their types (the codec asks), or None."""
        if self.speakers is not None and self.speakers < 1:
            return "speakers: expected a positive integer or null"
        return None


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
class FilePart(Message):
    """Base of the commands that run one part of the file `path`, kept as batches in `folder`."""

    job: str
    path: str
    folder: str
    options: JobOptions = field(default_factory=JobOptions)


@dataclass(frozen=True)
class Plan(FilePart):
    """Decode `path`, find its speech (VAD) and its batches, and save that plan in `folder`.

    Answered by `planned`. A valid plan already in `folder` (same file, models and options)
    is kept, with its finished batches: this is how an interrupted job resumes.
    """

    type: ClassVar[str] = "plan"
    direction: ClassVar[str] = "command"


@dataclass(frozen=True, kw_only=True)
class RunBatch(FilePart):
    """Run batch `index` of the plan in `folder` (ASR and speaker embeddings) and save it there.

    Answered by `batch_done` once the batch's checkpoint file is written. Any worker with the
    same model set can run any batch of a plan.
    """

    type: ClassVar[str] = "batch"
    direction: ClassVar[str] = "command"
    index: int


@dataclass(frozen=True)
class Assemble(FilePart):
    """Join the saved batches in `folder` into the transcript (punctuation, speakers).

    Answered by `result`, exactly as `transcribe` would have answered for the same file.
    """

    type: ClassVar[str] = "assemble"
    direction: ClassVar[str] = "command"


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
class Planned(Message):
    """A `plan` ended: the speech time of each batch, and the batches already saved."""

    type: ClassVar[str] = "planned"
    direction: ClassVar[str] = "event"
    job: str
    audio_ms: int
    batch_ms: list[int]
    done: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class BatchDone(Message):
    """A `batch` ended: its checkpoint is saved in the plan's folder.

    `reused`: the checkpoint was there already (nothing ran), e.g. a worker died after
    saving the batch and before this event reached the host.
    """

    type: ClassVar[str] = "batch_done"
    direction: ClassVar[str] = "event"
    job: str
    index: int
    speech_ms: int
    reused: bool = False


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


COMMANDS: tuple[type[Message], ...] = (Transcribe, Plan, RunBatch, Assemble, Cancel, Shutdown)
EVENTS: tuple[type[Message], ...] = (
    Hello,
    Progress,
    Segment,
    Planned,
    BatchDone,
    Result,
    Error,
)
# The commands that start a job on the worker (one at a time, each ends with one event).
JobCommand = Transcribe | Plan | RunBatch | Assemble
JOB_COMMANDS: tuple[type[Message], ...] = (Transcribe, Plan, RunBatch, Assemble)
# The events that end a job command (exactly one per command).
JOB_ENDS: tuple[type[Message], ...] = (Planned, BatchDone, Result, Error)
CODEC: Codec[Message] = Codec(PROTOCOL_VERSION, COMMANDS + EVENTS)


def to_dict(message: Message) -> dict[str, Any]:
    """The wire form of `message` as a plain dict."""
    return CODEC.to_dict(message)


def encode(message: Message) -> bytes:
    """One protocol line (JSON + newline), UTF-8."""
    return CODEC.encode(message)


def decode(line: bytes | str) -> Message:
    """Parse one line; raises ProtocolError for anything that is not a valid message."""
    return CODEC.decode(line)


class LineReader(jsonlines.LineReader[Message]):
    """Splits a byte stream into messages; bad lines are reported to `on_bad_line`, not raised."""

    def __init__(self, on_bad_line: Callable[[bytes, ProtocolError], None] | None = None) -> None:
        super().__init__(CODEC.decode, on_bad_line)
