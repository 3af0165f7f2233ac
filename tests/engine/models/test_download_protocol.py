"""Download events: every one survives a round trip; bad lines are set aside, not raised."""

from __future__ import annotations

import json

import pytest

from engine.models.download_protocol import (
    EVENTS,
    Done,
    DownloadError,
    DownloadErrorCode,
    DownloadEvent,
    DownloadProgress,
    EventReader,
    Plan,
    decode,
    encode,
)

SAMPLES: list[DownloadEvent] = [
    Plan("zh", {"asr": "iic/x@v2.0.4"}, bytes_total=1000, bytes_done=10),
    DownloadProgress(500, 1000, speed=250.5, eta=2.0, file="/c/iic/x/v2.0.4/model.pt"),
    DownloadProgress(0, 1000, speed=0.0, eta=None, file=""),
    Done("zh", {"asr": "/c/iic/x/v2.0.4"}),
    DownloadError(DownloadErrorCode.NETWORK, "lost the connection", "Traceback ..."),
]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.type)
def test_every_event_survives_a_round_trip(event: DownloadEvent) -> None:
    line = encode(event)
    assert line.endswith(b"\n") and json.loads(line)["v"] == 1
    assert decode(line) == event


def test_every_event_type_has_a_sample() -> None:
    assert {type(e) for e in SAMPLES} == set(EVENTS)


def test_error_codes_are_distinct() -> None:
    values = [code.value for code in DownloadErrorCode]
    assert len(values) == len(set(values))


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b'{"v":2,"type":"done","preset":"zh"}',
        b'{"v":1,"type":"nope"}',
        b'{"v":1,"type":"error","code":"weird","message":"x"}',
        b'{"v":1,"type":"plan"}',
    ],
)
def test_a_bad_line_is_rejected(line: bytes) -> None:
    with pytest.raises(ValueError):
        decode(line)


def test_the_reader_splits_lines_and_sets_bad_ones_aside() -> None:
    reader = EventReader()
    data = encode(SAMPLES[0]) + b"garbage\n" + encode(SAMPLES[3])
    assert reader.feed(data[:10]) == []
    assert reader.feed(data[10:]) == [SAMPLES[0], SAMPLES[3]]
    assert list(reader.bad_lines) == [b"garbage"]


def test_the_reader_keeps_only_the_latest_bad_lines_but_counts_them_all() -> None:
    reader = EventReader()
    reader.feed(b"".join(b"junk %d\n" % i for i in range(1000)))
    assert reader.bad_line_count == 1000
    assert list(reader.bad_lines) == [b"junk %d" % i for i in range(990, 1000)]
