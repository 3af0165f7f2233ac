"""Where one worker's time goes, alone and beside a second worker (py-spy).

Two warm workers; worker A transcribes a file alone, then A and B transcribe it at the same
time. py-spy samples A both times. Samples are sorted into the pipeline part they belong to
(by the stack) and by the code that was running (by the innermost Python frame: time in a
native torch op counts for the Python line that called it), so the paired/alone ratio shows
which part slows down when two workers share the machine.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import table
from bench.worker_client import Worker
from engine.protocol import JobOptions, Result, Transcribe

RATE = 100
PARTS = (  # first match in the stack wins
    ("decode", ("engine/audio.py",)),
    ("vad", ("fsmn_vad",)),
    ("speakers: embeddings", ("CAMPPlus",)),
    ("speakers: clustering", ("cluster",)),
    ("punctuation", ("ct_transformer",)),
    ("asr: encoder", ("Paraformer.encode",)),
    ("asr: timestamps", ("calc_predictor_timestamp",)),
    ("asr: predictor", ("calc_predictor",)),
    ("asr: decoder", ("_seaco_decode", "decoder.py")),
    ("asr: other", ("Paraformer.inference",)),
    ("funasr pipeline", ("funasr/",)),
    ("worker (ours)", ("engine/",)),
)
KINDS = (  # by the file of the innermost Python frame (where a native op was called from)
    ("torch (nn modules, functional)", ("torch/",)),
    ("funasr python", ("funasr/",)),
    ("numpy/scipy/sklearn", ("numpy/", "scipy/", "sklearn/")),
    ("worker (ours)", ("engine/",)),
)


def py_spy() -> str | None:
    """The py-spy program next to our Python, or on PATH."""
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.is_file() else shutil.which("py-spy")


def _record(program: str, pid: int, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        # Non-blocking, Python frames only: native unwinding paused the worker ~10 ms a
        # sample (a job took twice as long) and needs CPU that the paired run does not have.
        [
            program,
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(RATE),
            "--nonblocking",
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _job(workers: list[Worker], clip: Path, program: str, out: Path, tag: str) -> float:
    """Run `clip` on every worker at once while sampling the first; A's job seconds."""
    spy = _record(program, workers[0].pid, out)
    sent = {}
    for i, worker in enumerate(workers):
        sent[i] = worker.send(Transcribe(job=f"{tag}{i}", path=str(clip), options=JobOptions()))
    seconds = 0.0
    for i, worker in enumerate(workers):
        at, end = worker.until_end(f"{tag}{i}")
        if not isinstance(end, Result):
            raise RuntimeError(f"profiled job failed: {end}")
        if i == 0:
            seconds = at - sent[0]
            spy.send_signal(signal.SIGINT)
    spy.wait(timeout=60)
    return seconds


def _classify(stack: str, table_: tuple[tuple[str, tuple[str, ...]], ...], leaf: bool) -> str:
    text = stack.rsplit(";", 1)[-1] if leaf else stack
    for name, needles in table_:
        if any(n in text for n in needles):
            return name
    return "other"


def summarise(path: Path) -> dict[str, Counter[str]]:
    """Seconds per pipeline part and per kind of code, from py-spy's raw output."""
    parts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        seconds = int(count) / RATE
        parts[_classify(stack, PARTS, leaf=False)] += seconds
        kinds[_classify(stack, KINDS, leaf=True)] += seconds
    return {"parts": parts, "kinds": kinds}


def run(models: Path, clip: Path, warm_clip: Path) -> dict[str, Any]:
    """Alone, then paired; the sampled seconds of worker A in each."""
    program = py_spy()
    if program is None:
        return {"skipped": "py-spy is not installed (.venv/bin/pip install py-spy)"}
    workers = [Worker(models), Worker(models)]
    try:
        for worker in workers:
            worker.wait_hello()
        for i, worker in enumerate(workers):
            worker.send(Transcribe(job=f"w{i}", path=str(warm_clip), options=JobOptions()))
        for i, worker in enumerate(workers):
            worker.until_end(f"w{i}")
        with tempfile.TemporaryDirectory() as tmp:
            alone_s = _job(workers[:1], clip, program, Path(tmp) / "alone.txt", "a")
            pair_s = _job(workers, clip, program, Path(tmp) / "pair.txt", "p")
            alone, pair = summarise(Path(tmp) / "alone.txt"), summarise(Path(tmp) / "pair.txt")
    finally:
        for worker in workers:
            worker.close()
    return {
        "alone_job_s": alone_s,
        "pair_job_s": pair_s,
        "parts": {k: [alone["parts"][k], pair["parts"][k]] for k in _keys(alone, pair, "parts")},
        "kinds": {k: [alone["kinds"][k], pair["kinds"][k]] for k in _keys(alone, pair, "kinds")},
    }


def _keys(a: dict[str, Counter[str]], b: dict[str, Counter[str]], group: str) -> list[str]:
    return [k for k, _ in (a[group] + b[group]).most_common()]


def markdown(result: dict[str, Any]) -> str:
    """Sampled seconds alone vs paired, by pipeline part and by kind of code."""
    if "skipped" in result:
        return f"Profile skipped: {result['skipped']}"
    out = [
        f"Worker A's job: {result['alone_job_s']:.2f} s alone, {result['pair_job_s']:.2f} s "
        f"beside a second worker ({result['pair_job_s'] / result['alone_job_s']:.3f}x).",
        "",
    ]
    for group, title in (("parts", "pipeline part"), ("kinds", "code")):
        rows = [[k, a, p, (p / a if a else None)] for k, (a, p) in result[group].items()]
        out += [table([title, "alone s", "paired s", "paired / alone"], rows), ""]
    return "\n".join(out).rstrip()
