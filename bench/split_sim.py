"""The end of a queue against `batch_size_s`: the split policy simulated on real VAD segments.

    python -m bench.split_sim [--trials N] [--sizes 30,10,4,3,1] FILE ...

The four-file throughput set-up (c) loses its busy share in one idle span at the end: one
worker runs the last batch and assembly while the other has nothing left. How long that
span is depends on the size of the last batches, so this runs the pool's own policy
(`engine.pool.split.SplitFiles.next_work`, on `engine.testing.split_simulation`'s clock)
over each file's batches as the real VAD and `engine.batches.plan.pack` make them at each
size, with plan, assembly and batch times drawn around measured values, and reports the
busy share (busy worker-seconds over workers x makespan). No models run but the VAD:
seconds, not minutes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import AUDIO, MODELS, table
from engine.batches.plan import BATCH_SIZE_THRESHOLD_S, pack, sorted_order
from engine.pool.split import Part
from engine.testing.split_simulation import simulate

SIZES = (30, 10, 4, 3, 1)
TRIALS = 300
FILES = tuple(AUDIO / f"talk{i}-90s-v3.wav" for i in range(4))


@dataclass(frozen=True)
class Costs:
    """Seconds of work per part (measured with full-size models, one thread: bench.batch_size)."""

    speech_per_second: float = 5.0
    plan_s: float = 0.45
    assemble_s: float = 0.3
    per_part_s: float = 0.03  # command, checkpoint, reply
    spread: float = 0.1  # each part's time is drawn +- this share around its mean


def vad_segments(files: list[Path]) -> list[list[tuple[int, int]]]:
    """Each file's VAD segments (ms) from the trained FSMN-VAD in the benchmark's models."""
    from funasr import AutoModel

    vad = AutoModel(
        model=str(MODELS / "vad"), disable_update=True, disable_pbar=True, disable_log=True
    )
    out = []
    for path in files:
        value = vad.generate(input=str(path))[0]["value"]
        out.append([(int(a), int(b)) for a, b in value])
    return out


def batch_ms(segments: list[tuple[int, int]], batch_size_s: int) -> list[int]:
    """The speech time of each batch of the plan at `batch_size_s`."""
    lengths = [segments[i][1] - segments[i][0] for i in sorted_order(segments)]
    return [sum(lengths[a:b]) for a, b in pack(lengths, batch_size_s, BATCH_SIZE_THRESHOLD_S)]


def busy_share(
    files: list[list[int]], workers: int, costs: Costs, rng: random.Random, whole: bool = False
) -> float:
    """One run of the queue `files` (each its batches' speech ms), part times drawn at random;
    `whole`: short files run whole while the queue is long, as in the pool."""
    means = {Part.PLAN: costs.plan_s, Part.ASSEMBLE: costs.assemble_s}

    def seconds(job: str, part: Part, index: int) -> float:
        if part is Part.WHOLE:
            speech_s = sum(batch_ms[job]) / 1000
            mean = speech_s / costs.speech_per_second + costs.plan_s + costs.assemble_s
        elif part is Part.BATCH:
            mean = batch_ms[job][index] / 1000 / costs.speech_per_second
        else:
            mean = means[part]
        return mean * rng.uniform(1 - costs.spread, 1 + costs.spread) + costs.per_part_s

    batch_ms = {f"f{i}": batches for i, batches in enumerate(files)}
    return simulate(batch_ms, workers, seconds, whole_files=whole).busy_share


def main(argv: list[str] | None = None) -> int:
    """Print the busy share per batch size."""
    parser = argparse.ArgumentParser(prog="python -m bench.split_sim", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=list(FILES))
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--trials", type=int, default=TRIALS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    segments = vad_segments(args.files)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        files = [batch_ms(s, size) for s in segments]
        row: list[object] = [size, ", ".join(str(len(f)) for f in files)]
        for whole in (False, True):
            rng = random.Random(size)
            trials = range(args.trials)
            shares = sorted(busy_share(files, args.workers, Costs(), rng, whole) for _ in trials)
            row += [
                round(statistics.median(shares), 4),
                round(shares[len(shares) // 10], 4),
                f"{sum(s >= 0.99 for s in shares) / len(shares):.0%}",
            ]
        rows.append(row)
    headers = ["batch_size_s", "batches per file", "median busy share", "10th pct", ">= 0.99"]
    headers += ["short files whole: median", "10th pct", ">= 0.99"]
    print(table(headers, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
