"""What reading the worker's stdout costs on the GUI thread: one huge result line, and progress.

    python -m bench.reader

A 2-hour transcript with tokens is a `result` line of ~30 MB. It arrives in pipe-sized chunks
(64 KiB here), and the host's reader turns it into a message. Times are CPU seconds of this
process, which a loaded machine does not inflate the way it inflates wall time. The line is
fed through `engine.protocol.LineReader` (linear: it searches only the new bytes for a
newline) and through the old reader's algorithm (`buffer += data; buffer.split(b"\\n")` on
every chunk, quadratic in the line's length), which runs only on the smaller sizes: at 31 MB
it took ~10 s.
Progress events are small and frequent, so their cost is per message: our `decode` against
`json.loads` alone, and against resolving the type hints per message as the old `decode` did.
"""

from __future__ import annotations

import json
import statistics
import time
import typing
from collections.abc import Callable
from typing import Any

from bench.common import load_average, table
from engine.protocol import LineReader, Progress, Result, Stage, decode, encode

CHUNK = 64 * 1024
SIZES_MB = (7.8, 15.7, 31.0)  # the sizes the issue measured the old reader at
OLD_UP_TO_MB = 16.0  # the quadratic reader is timed only up to here
PROGRESS_RUNS = 20_000


def run() -> dict[str, Any]:
    """Time the line reader at each size and the per-message cost of a progress event."""
    lines = []
    for megabytes in SIZES_MB:
        line = encode(Result(job="j1", transcript=_transcript(megabytes), stats={}))
        row: dict[str, Any] = {"mb": round(len(line) / 1e6, 1)}
        row["new_cpu_s"], row["new_wall_s"] = _best(lambda line=line: _read_linear(line))
        row["decode_cpu_s"], _ = _best(lambda line=line: decode(line))
        if megabytes <= OLD_UP_TO_MB:
            row["old_cpu_s"], _ = _best(lambda line=line: _read_quadratic(line), repeats=1)
        lines.append(row)
    progress = encode(Progress("j1", Stage.ASR, 3, 10, 9000, 31000))
    body = progress.decode()
    return {
        "chunk_kib": CHUNK // 1024,
        "load_average": load_average(),
        "lines": lines,
        "progress_decode_us": _per_call(lambda: decode(progress)),
        "progress_json_us": _per_call(lambda: json.loads(body)),
        "type_hints_us": _per_call(lambda: typing.get_type_hints(Progress)),
    }


def markdown(result: dict[str, Any]) -> str:
    """The reader's times per line size, and the progress decode cost."""
    rows = []
    for row in result["lines"]:
        old = row.get("old_cpu_s")
        rows.append(
            [
                row["mb"],
                row["new_cpu_s"],
                row["new_wall_s"],
                row["decode_cpu_s"],
                old if old is not None else "not run (quadratic)",
                f"{old / row['new_cpu_s']:.1f}x" if old else "",
            ]
        )
    headers = [
        "result line MB",
        "reader CPU s",
        "reader wall s",
        "of it: decode CPU s",
        "old reader CPU s",
        "speed-up",
    ]
    out = [
        f"Fed in {result['chunk_kib']} KiB chunks, as a pipe delivers it; best of 3, CPU time of"
        f" this process (wall time depends on the machine's load: {result['load_average']}).",
        "",
        table(headers, rows),
        "",
        table(
            ["per progress event", "µs"],
            [
                ["decode (checked, hints cached)", result["progress_decode_us"]],
                ["json.loads alone", result["progress_json_us"]],
                ["get_type_hints, which the old decode ran per message", result["type_hints_us"]],
            ],
        ),
    ]
    return "\n".join(out)


def _transcript(megabytes: float) -> dict[str, Any]:
    """A transcript of `megabytes` once encoded, shaped like ours: sentences of tokens."""
    words = [
        {"text": f"word{i}", "start": 10_000 + i * 200, "end": 10_180 + i * 200} for i in range(12)
    ]
    sentences = []
    size = 0
    while size < megabytes * 1e6:
        sentence = {
            "start": len(sentences) * 2400,
            "end": len(sentences) * 2400 + 2300,
            "text": "this is one sentence of the meeting, said by one of the speakers",
            "speaker": len(sentences) % 3,
            "tokens": words,
        }
        sentences.append(sentence)
        size += len(json.dumps(sentence, separators=(",", ":"))) + 1
    return {"version": 1, "sentences": sentences}


def _read_linear(line: bytes) -> None:
    reader = LineReader()
    messages = []
    for at in range(0, len(line), CHUNK):
        messages += reader.feed(line[at : at + CHUNK])
    assert len(messages) == 1


def _read_quadratic(line: bytes) -> None:
    """The old LineReader.feed: append to bytes, split the whole buffer on every chunk."""
    buffer = b""
    found: list[bytes] = []
    for at in range(0, len(line), CHUNK):
        buffer += line[at : at + CHUNK]
        *lines, buffer = buffer.split(b"\n")
        found += lines
    assert len(found) == 1
    decode(found[0])


def _best(action: Callable[[], object], repeats: int = 3) -> tuple[float, float]:
    """The best (CPU seconds, wall seconds) of `repeats` runs."""
    cpu, wall = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return round(min(cpu), 3), round(min(wall), 3)


def _per_call(action: Callable[[], object]) -> float:
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(PROGRESS_RUNS // 5):
            action()
        rounds.append((time.perf_counter() - started) / (PROGRESS_RUNS // 5))
    return round(statistics.median(rounds) * 1e6, 2)


if __name__ == "__main__":
    print(markdown(run()))
