"""The protocol: every message round-trips, bad lines are skipped and reported, docs match."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import pytest

from engine import jsonlines, protocol, protocol_docs
from engine.protocol import (
    Assemble,
    BatchDone,
    Cancel,
    Error,
    ErrorCode,
    Hello,
    JobOptions,
    LineReader,
    Plan,
    Planned,
    Progress,
    ProtocolError,
    Result,
    RunBatch,
    Segment,
    Shutdown,
    Stage,
    Transcribe,
    VersionMismatch,
    decode,
    encode,
)

EXAMPLES = [
    Transcribe(job="a", path="/x/电话.wav", options=JobOptions(speakers=3, hotwords="魔搭")),
    Transcribe(job="b", path="/x.mp3"),
    Plan(job="a", path="/x/talk.mp4", folder="/data/checkpoints/a", options=JobOptions(speakers=2)),
    RunBatch(job="a", path="/x/talk.mp4", folder="/data/checkpoints/a", index=3),
    Assemble(job="a", path="/x/talk.mp4", folder="/data/checkpoints/a"),
    Cancel(job="a"),
    Shutdown(),
    Hello("0.1.0", 12, "cpu", 2, {"asr": "/m/asr", "vad": None, "punc": None, "spk": None}, 1.5),
    Progress(job="a", stage=Stage.ASR, done=2, total=9, audio_ms_done=100, audio_ms_total=900),
    Segment(job="a", start=10, end=990, text="你好 world"),
    Planned(job="a", audio_ms=312_000, batch_ms=[29_000, 28_500, 61_000], done=[0]),
    BatchDone(job="a", index=2, speech_ms=61_000, reused=True),
    Result(job="a", transcript={"version": 1, "sentences": []}, stats={"audio_seconds": 1.0}),
    Error(job=None, code=ErrorCode.MODEL_LOAD_FAILED, message="no model", detail="tb"),
]


@pytest.mark.parametrize("message", EXAMPLES, ids=lambda m: m.type)
def test_every_message_survives_encode_and_decode(message: protocol.Message) -> None:
    line = encode(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode(line) == message


def test_every_message_type_has_an_example() -> None:
    assert {m.type for m in EXAMPLES} == {c.type for c in protocol.COMMANDS + protocol.EVENTS}


def test_error_codes_are_distinct_and_all_documented() -> None:
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert set(protocol.ERROR_DESCRIPTIONS) == set(ErrorCode)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b"not json at all", "not JSON"),
        (b'["a list"]', "not a JSON object"),
        (b'{"v": 3, "type": "cancel", "job": "a"}', "protocol version 3"),
        (b'{"type": "cancel", "job": "a"}', "protocol version None"),
        (b'{"v": 2, "type": "dance"}', "unknown message type"),
        (b'{"v": 2, "type": "cancel"}', "missing field 'job'"),
        (b'{"v": 2, "type": "cancel", "job": 7}', "cancel.job"),
        (b'{"v": 2, "type": "progress", "job": "a", "stage": "x", "done": 1, "total": 1}', "stage"),
        (b'{"v":2,"type":"transcribe","job":"a","path":"p","options":{"speakers":0}}', "speakers"),
        (b'{"v":2,"type":"transcribe","job":"a","path":"p","options":{"colour":1}}', "options"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_invalid_lines_raise_a_protocol_error_naming_the_problem(line: bytes, why: str) -> None:
    with pytest.raises(ProtocolError, match=why):
        decode(line)


def test_reader_skips_and_reports_a_garbage_line_and_keeps_reading() -> None:
    bad: list[tuple[bytes, str]] = []
    reader = LineReader(lambda line, error: bad.append((line, str(error))))
    stream = encode(Cancel(job="a")) + b"garbage {\n" + encode(Shutdown())
    messages = list(reader.feed(stream[:7])) + list(reader.feed(stream[7:]))
    assert messages == [Cancel(job="a"), Shutdown()]
    assert len(bad) == 1 and bad[0][0] == b"garbage {" and "not JSON" in bad[0][1]


def test_reader_keeps_a_partial_line_until_it_is_complete() -> None:
    reader = LineReader()
    line = encode(Segment(job="a", start=0, end=1, text="漢字"))
    assert list(reader.feed(line[:-5])) == []
    assert reader.pending == line[:-5]
    assert list(reader.feed(line[-5:])) == [Segment(job="a", start=0, end=1, text="漢字")]


def test_job_options_default_to_automatic_speakers_and_no_hotwords() -> None:
    options = decode(b'{"v":2,"type":"transcribe","job":"a","path":"p","options":{}}')
    assert isinstance(options, Transcribe)
    assert dataclasses.asdict(options.options) == {
        "speakers": None,
        "hotwords": "",
        "diarize": True,
    }


def test_docs_protocol_md_is_generated_from_the_code() -> None:
    docs = Path(__file__).parents[2] / "docs" / "protocol.md"
    assert docs.read_text(encoding="utf-8") == protocol_docs.markdown(), (
        "docs/protocol.md is stale: run `python -m engine.protocol_docs > docs/protocol.md`"
    )


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"hotwords": 5}, "transcribe.options.hotwords: expected a string, got an integer"),
        ({"diarize": "no"}, "transcribe.options.diarize: expected true or false, got a string"),
        ({"speakers": True}, "transcribe.options.speakers: expected int | None, got true"),
        ({"speakers": 2.5}, "transcribe.options.speakers: expected int | None, got a number"),
    ],
)
def test_job_options_of_the_wrong_type_are_refused_naming_the_field_and_the_job(
    options: dict[str, object], why: str
) -> None:
    line = to_line({"v": 2, "type": "transcribe", "job": "j9", "path": "p", "options": options})
    with pytest.raises(ProtocolError) as caught:
        decode(line)
    assert str(caught.value) == why
    assert caught.value.job == "j9"  # so the worker can end that job with `bad_request`


def test_a_message_of_another_version_is_a_version_mismatch_naming_the_version() -> None:
    with pytest.raises(VersionMismatch) as caught:
        decode(b'{"v": 3, "type": "hello"}')
    assert (caught.value.version, caught.value.kind) == (3, "hello")


def test_type_hints_are_resolved_once_per_class_not_per_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    real = typing.get_type_hints

    def counting(obj: object, *args: object, **kwargs: object) -> object:
        calls.append(obj)
        return real(obj, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(typing, "get_type_hints", counting)
    jsonlines._spec.cache_clear()
    line = encode(Progress(job="a", stage=Stage.ASR, done=1, total=9))
    for _ in range(100):
        decode(line)
    assert calls == [Progress]


def test_the_reader_searches_each_byte_once_however_a_long_line_is_chunked() -> None:
    line = encode(Result(job="a", transcript={"text": "x" * 1_000_000}))
    reader = LineReader()
    chunk = 4096
    messages = []
    for at in range(0, len(line), chunk):
        messages += reader.feed(line[at : at + chunk])
    assert [m.type for m in messages] == ["result"]
    # Rescanning the buffer on every chunk (the old reader) searches ~120 MB here, not 1 MB.
    assert reader.scanned == len(line)
    assert reader.pending == b""


def to_line(body: dict[str, object]) -> bytes:
    return json.dumps(body).encode()
