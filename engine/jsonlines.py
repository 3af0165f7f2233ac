"""One versioned JSON-lines codec: message dataclasses to lines and back, and a linear reader.

The worker protocol (`engine.protocol`) and the download events
(`engine.models.download_protocol`) both speak through this module, so the two cannot drift
apart again. A message is a frozen dataclass with a `type` class variable; on the wire it is
one JSON object per line with the protocol version `v` and the `type`. Decoding checks every
field against its type hint (a bool is not an int, `"no"` is not a bool, unknown fields of a
nested object are refused); the checks are built once per class, not per message.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import gc
import json
import types
import typing
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, Protocol, TypeVar


class Wire(Protocol):
    """What the codec needs of a message class: a dataclass with a `type` name."""

    type: ClassVar[str]


M = TypeVar("M", bound=Wire)
_Check = Callable[[str, Any], Any]  # (field path, wire value) -> Python value, or ProtocolError
_BIG_LINE = 1 << 20  # characters


class ProtocolError(ValueError):
    """A line that is not a valid message; `job` is the job it named, when it named one."""

    def __init__(self, message: str, job: str | None = None) -> None:
        super().__init__(message)
        self.job = job


class VersionMismatch(ProtocolError):
    """A well-formed message of another protocol version (`version`), of type `kind`."""

    def __init__(self, version: object, expected: int, kind: str) -> None:
        super().__init__(f"protocol version {version!r}, expected {expected}")
        self.version = version
        self.kind = kind


class Codec(Generic[M]):
    """Encodes and decodes the messages `messages` (dataclasses with a `type`) at `version`."""

    def __init__(self, version: int, messages: Iterable[type[M]]) -> None:
        self.version = version
        self.by_type: dict[str, type[M]] = {cls.type: cls for cls in messages}

    def to_dict(self, message: M) -> dict[str, Any]:
        """The wire form of `message` as a plain dict."""
        body: dict[str, Any] = {"v": self.version, "type": message.type}
        for f in dataclasses.fields(message):  # type: ignore[arg-type]
            body[f.name] = _plain(getattr(message, f.name))
        return body

    def encode(self, message: M) -> bytes:
        """One line (JSON + newline), UTF-8."""
        text = json.dumps(self.to_dict(message), ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")

    def decode(self, line: bytes | bytearray | str) -> M:
        """Parse one line; raises ProtocolError (VersionMismatch for another version)."""
        if not isinstance(line, str):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ProtocolError(f"not UTF-8: {exc}") from None
        try:
            body = _loads(line)
        except json.JSONDecodeError as exc:
            raise ProtocolError(f"not JSON: {exc.msg}") from None
        if not isinstance(body, dict):
            raise ProtocolError("not a JSON object")
        job = body.get("job")
        job = job if isinstance(job, str) else None
        version = body.get("v")
        if version != self.version or isinstance(version, bool):
            raise VersionMismatch(version, self.version, str(body.get("type")))
        cls = self.by_type.get(str(body.get("type")))
        if cls is None:
            raise ProtocolError(f"unknown message type {body.get('type')!r}", job)
        try:
            return typing.cast(M, _build(cls, cls.type, body, skip=("v", "type")))
        except ProtocolError as exc:
            raise ProtocolError(str(exc), job) from None


def _loads(text: str) -> Any:
    """json.loads, with the cyclic GC paused for a big line: a 30 MB transcript is a million
    new dicts and lists, and the collections they trigger cost more than the parse itself
    (measured 2.5 s -> 1.6 s for 28 MB on a loaded machine; see bench/reader.py). JSON
    cannot build a cycle, so nothing is left for the collector that pausing would leak."""
    if len(text) < _BIG_LINE or not gc.isenabled():
        return json.loads(text)
    gc.disable()
    try:
        return json.loads(text)
    finally:
        gc.enable()


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _build(cls: type, path: str, body: dict[str, Any], skip: tuple[str, ...] = ()) -> Any:
    """An instance of dataclass `cls` from `body`, every field checked; extra keys refused."""
    spec = _spec(cls)
    unknown = [key for key in body if key not in spec and key not in skip]
    if unknown:
        raise ProtocolError(f"{path}: unknown field {unknown[0]!r}")
    kwargs: dict[str, Any] = {}
    for name, (check, required) in spec.items():
        if name in body:
            kwargs[name] = check(f"{path}.{name}", body[name])
        elif required:
            raise ProtocolError(f"{path}: missing field {name!r}")
    made = cls(**kwargs)
    problem = getattr(made, "problem", None)
    why = problem() if callable(problem) else None
    if why:
        raise ProtocolError(f"{path}.{why}")
    return made


@functools.cache
def _spec(cls: type) -> dict[str, tuple[_Check, bool]]:
    """Per field of `cls`: its check and whether it is required (type hints resolved once)."""
    hints = typing.get_type_hints(cls)
    return {
        f.name: (
            _checker(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    }


def _checker(hint: Any) -> _Check:
    """A function that checks (and converts) a wire value for a field typed `hint`."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_checker(arg) for arg in typing.get_args(hint)]
        return functools.partial(_check_union, options, _type_name(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return functools.partial(_check_enum, hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return functools.partial(_check_object, hint)
    if hint is Any:
        return lambda path, value: value
    if hint is type(None):
        return functools.partial(_check_types, (type(None),), "null")
    if hint is float:
        return functools.partial(_check_types, (int, float), "a number")
    base = origin or hint
    return functools.partial(_check_types, (base,), _type_name(base))


def _check_types(allowed: tuple[type, ...], name: str, path: str, value: Any) -> Any:
    # bool is an int in Python, never on the wire: `true` is not a speaker count.
    if isinstance(value, allowed) and (bool in allowed or not isinstance(value, bool)):
        return value
    raise ProtocolError(f"{path}: expected {name}, got {_json_name(value)}")


def _check_union(options: list[_Check], name: str, path: str, value: Any) -> Any:
    for check in options:
        try:
            return check(path, value)
        except ProtocolError:
            continue
    raise ProtocolError(f"{path}: expected {name}, got {_json_name(value)}")


def _check_enum(kind: type[enum.Enum], path: str, value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ProtocolError(f"{path}: unknown value {value!r}") from None


def _check_object(kind: type, path: str, value: Any) -> Any:
    if not isinstance(value, dict):
        raise ProtocolError(f"{path}: expected an object, got {_json_name(value)}")
    return _build(kind, path, value)


def _type_name(hint: Any) -> str:
    if isinstance(hint, type):
        return {str: "a string", int: "an integer", bool: "true or false", dict: "an object"}.get(
            hint, hint.__name__
        )
    return str(hint).replace("typing.", "")


def _json_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return {str: "a string", int: "an integer", float: "a number", dict: "an object"}.get(
        type(value), type(value).__name__
    )


class LineReader(Generic[M]):
    """Splits a byte stream into messages in time linear in its size; bad lines go to
    `on_bad_line(line, error)` and never raise."""

    def __init__(
        self,
        decode: Callable[[bytes], M],
        on_bad_line: Callable[[bytes, ProtocolError], None] | None = None,
    ) -> None:
        self._decode = decode
        self._on_bad_line = on_bad_line or (lambda line, error: None)
        self._buffer = bytearray()
        self._searched = 0  # bytes of the pending line already known to hold no newline
        self.scanned = 0  # bytes searched for a line end, in all: linear reading keeps it = fed

    def feed(self, data: bytes) -> list[M]:
        """Add `data`; return every complete, valid message now available."""
        buffer = self._buffer
        buffer += data
        messages: list[M] = []
        start = 0
        search = self._searched
        while True:
            end = buffer.find(b"\n", search)
            self.scanned += (len(buffer) if end < 0 else end + 1) - search
            if end < 0:
                break
            with memoryview(buffer) as view:
                line = bytes(view[start:end])  # one copy, even of a 30 MB result line
            start = search = end + 1
            if line.strip():
                try:
                    messages.append(self._decode(line))
                except ProtocolError as exc:
                    self._on_bad_line(line, exc)
        if start:
            del buffer[:start]  # at most one chunk's tail stays; never the whole stream again
        self._searched = len(buffer)
        return messages

    @property
    def pending(self) -> bytes:
        """Bytes of an incomplete last line, if any."""
        return bytes(self._buffer)
