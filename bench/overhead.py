"""Overhead: our worker's whole job path vs bare `AutoModel.generate`, same process, same model.

A child process loads one Backend (1 thread). For each file it runs, twice each in the order
ABBA (BAAB for the next file), (A) the worker's own job function, exactly as a `transcribe`
command runs it: decode the file, progress and segment events written as protocol lines, the
transcript built; and (B) plain `generate` on the already decoded array with the same
arguments on the same AutoModel instance. Same weights, same process, interleaved, so a
drifting load cancels out; speaker windows are embedded one at a time, as bare
generate does, so only our plumbing is measured; wall and CPU time are both reported
(run-to-run spread of one file on this VM is about +-3%, which bounds what a single run
can resolve).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path
from statistics import mean
from typing import Any

from bench.common import DATA_CLIP, emit, run_child, table

GOAL = 0.03


def run(models: Path, files: list[Path]) -> dict[str, Any]:
    """Run the child on `files`; per-file times and the overall overhead."""
    args = ["--child", "--models", str(models), *map(str, files)]
    # Speaker windows one at a time, as in bare generate: this measures our plumbing only
    # (batched speaker windows make the worker faster than bare generate; see throughput).
    raw = run_child(
        "bench.overhead", args, timeout=3600, OMP_NUM_THREADS="1", FUNSCRIBE_BATCH_SPEAKERS="0"
    )
    worker = sum(f["worker"] for f in raw["files"])
    bare = sum(f["bare"] for f in raw["files"])
    decode = sum(f["decode"] for f in raw["files"])
    cpu = sum(f["worker_cpu"] for f in raw["files"]) / sum(f["bare_cpu"] for f in raw["files"])
    return {
        **raw,
        "overhead": worker / bare - 1,
        "cpu_overhead": cpu - 1,
        "overhead_without_decode": (worker - decode) / bare - 1,
    }


def markdown(result: dict[str, Any]) -> str:
    """Per-file times and the overhead against the goal."""
    rows = [
        [
            Path(f["path"]).name,
            f["audio_seconds"],
            f["bare"],
            f["worker"],
            f["decode"],
            f"{100 * (f['worker'] / f['bare'] - 1):+.1f}%",
            f"{100 * (f['worker_cpu'] / f['bare_cpu'] - 1):+.1f}%",
            f["events"],
        ]
        for f in result["files"]
    ]
    head = [
        "file",
        "audio s",
        "bare generate s",
        "worker job s",
        "of it decode s",
        "wall overhead",
        "CPU overhead",
        "events",
    ]
    overall = result["overhead"]
    verdict = "met" if overall <= GOAL else f"MISSED by {100 * (overall - GOAL):.1f} points"
    return "\n".join(
        [
            table(head, rows),
            "",
            f"Wall-time overhead, all files: {100 * overall:+.2f}% (goal <= {100 * GOAL:.0f}%: "
            f"{verdict}); CPU time: {100 * result['cpu_overhead']:+.2f}%; without decoding: "
            f"{100 * result['overhead_without_decode']:+.2f}%. Times are means of 2 runs each.",
        ]
    )


class _CountingSink(io.RawIOBase):
    """Where the worker's protocol lines go: counted and dropped (the pipe costs the same)."""

    def __init__(self) -> None:
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.lines += bytes(data).count(b"\n")
        return len(data)


def child(models: str, files: list[str]) -> dict[str, Any]:
    """Both paths on every file, alternating which goes first."""
    from engine.worker import limit_threads

    limit_threads(1)
    from engine.audio import decode_audio
    from engine.backend import Backend
    from engine.model_set import ModelSet
    from engine.protocol import JobOptions, Result, Transcribe
    from engine.stdio import ProtocolWriter
    from engine.worker import _Inbox, _run_job

    backend = Backend(ModelSet.from_dir(models), threads=1)
    sink = _CountingSink()
    writer = ProtocolWriter(sink)  # type: ignore[arg-type]
    inbox = _Inbox()
    options = JobOptions()
    # The AutoModel inside our Backend: bare `generate` on the very same weights.
    automodel = backend._model
    kwargs = Backend.generate_kwargs(options)

    def worker_path(path: str, job: str) -> tuple[float, float, float, int]:
        before = sink.lines
        cpu, started = time.process_time(), time.perf_counter()
        end = _run_job(backend, Transcribe(job=job, path=path, options=options), inbox, writer)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if not isinstance(end, Result):
            raise RuntimeError(f"{path}: {end}")
        return seconds, cpu, end.stats["decode_seconds"], sink.lines - before

    def bare_path(audio: Any) -> tuple[float, float]:
        cpu, started = time.process_time(), time.perf_counter()
        automodel.generate(input=audio, **kwargs)
        return time.perf_counter() - started, time.process_time() - cpu

    warm = decode_audio(str(DATA_CLIP))
    worker_path(str(DATA_CLIP), "warm")
    bare_path(warm)
    results = []
    for i, path in enumerate(files):
        audio = decode_audio(path)
        runs: dict[str, list[tuple[float, ...]]] = {"A": [], "B": []}
        # ABBA, then BAAB for the next file: a drifting machine load cancels out.
        for which in "ABBA" if i % 2 == 0 else "BAAB":
            if which == "A":
                runs["A"].append(worker_path(path, f"j{i}-{len(runs['A'])}"))
            else:
                runs["B"].append(bare_path(audio))
        results.append(
            {
                "path": path,
                "audio_seconds": round(audio.size / 16000, 2),
                "worker": round(mean(r[0] for r in runs["A"]), 3),
                "bare": round(mean(r[0] for r in runs["B"]), 3),
                "worker_cpu": round(mean(r[1] for r in runs["A"]), 3),
                "bare_cpu": round(mean(r[1] for r in runs["B"]), 3),
                "decode": round(mean(r[2] for r in runs["A"]), 4),
                "events": int(runs["A"][0][3]),
                "runs": {k: [round(r[0], 3) for r in v] for k, v in runs.items()},
            }
        )
    return {"files": results}


def main(argv: list[str] | None = None) -> int:
    """`--child`: the measuring process (what `run` starts)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--models", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    emit(child(args.models, args.files))
    sys.stdout.flush()
    import os

    os._exit(0)  # skip torch's slow interpreter teardown


if __name__ == "__main__":
    sys.exit(main())
