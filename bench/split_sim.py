"""The end of a queue against `batch_size_s`: the split policy simulated on real VAD segments.

    python -m bench.split_sim [--trials N] [--sizes 30,10,4,3,1] FILE ...

The four-file throughput set-up (c) loses its busy share in one idle span at the end: one
worker runs the last batch and assembly while the other has nothing left. How long that
span is depends on the size of the last batches, so this runs the pool's own policy
(`engine.pool.split.SplitFiles.next_work`) over each file's batches as the real VAD and
`engine.batches.plan.pack` make them at each size, with plan, assembly and batch times
drawn around measured values, and reports the busy share (busy worker-seconds over
workers x makespan). No models run but the VAD: seconds, not minutes.
"""

from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import AUDIO, MODELS, table
from engine.batches.plan import BATCH_SIZE_THRESHOLD_S, pack, sorted_order
from engine.pool.jobs import Job
from engine.pool.split import Part, SplitFiles

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


def simulate(files: list[list[int]], workers: int, costs: Costs, rng: random.Random) -> float:
    """One run of the queue `files` (each its batches' speech ms): the busy share."""
    jobs = [Job(id=f"f{i}", path=f"f{i}") for i in range(len(files))]
    lengths = {job.id: batches for job, batches in zip(jobs, files, strict=True)}
    split, queued = SplitFiles("/nowhere"), list(jobs)
    clock = [(0.0, i, f"w{i}") for i in range(workers)]
    running: dict[str, tuple[Job, Part, int]] = {}
    waiting: list[str] = []
    busy = end = 0.0
    while clock:
        now, order, worker = heapq.heappop(clock)
        if worker in running:
            job, part, index = running.pop(worker)
            if part is Part.PLAN:
                split.planned(job.id, lengths[job.id], [], sum(lengths[job.id]))
            elif part is Part.BATCH:
                split.batch_done(job.id, index)
            else:
                split.forget(job.id)
        work = split.next_work(worker, queued)
        if work is None:
            waiting.append(worker)
            continue
        if work.part is Part.PLAN:
            queued.remove(work.job)
        split.started(work, worker)
        mean = {
            Part.PLAN: costs.plan_s,
            Part.ASSEMBLE: costs.assemble_s,
            Part.BATCH: lengths[work.job.id][work.index] / 1000 / costs.speech_per_second,
        }[work.part]
        seconds = mean * rng.uniform(1 - costs.spread, 1 + costs.spread) + costs.per_part_s
        running[worker] = (work.job, work.part, work.index)
        busy, end = busy + seconds, max(end, now + seconds)
        heapq.heappush(clock, (now + seconds, order, worker))
        for idle in waiting:  # a finished part may give them something: they look again
            heapq.heappush(clock, (now + seconds, order + 1, idle))
        waiting.clear()
    return busy / (workers * end)


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
        rng = random.Random(size)
        shares = sorted(simulate(files, args.workers, Costs(), rng) for _ in range(args.trials))
        rows.append(
            [
                size,
                ", ".join(str(len(f)) for f in files),
                round(statistics.median(shares), 4),
                round(shares[len(shares) // 10], 4),
                f"{sum(s >= 0.99 for s in shares) / len(shares):.0%}",
            ]
        )
    headers = ["batch_size_s", "batches per file", "median busy share", "10th pct", ">= 0.99"]
    print(table(headers, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
