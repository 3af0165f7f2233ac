"""A file as batches: per-batch CPU speed against `batch_size_s`, and one file on 2 vs 1 worker.

    python -m bench.batch_size [--quick] [--models DIR] [--seconds S] [--sizes 300,120,...]

Part 1 (one worker process per size, one thread, FUNSCRIBE_BATCH_SIZE_S set): the same
file transcribed whole, then as plan + batches + assembly; per batch its speech seconds
and wall time. On the CPU FunASR runs each segment alone whatever the batch size, so the
speech rate of the batches should not depend on it; what does is the number of batches
(spread) and the split's own cost (plan, checkpoints, assembly) against the whole file.
Part 2: the file through a checkpointing pool of 1 worker and of 2 workers (both warm),
alternating 1, 2, 1, 2, ... (--rounds), wall from submit to done; speedup = median
1-worker wall / median 2-worker wall.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import MODELS, emit, run_child, table

SIZES = (300, 30, 10, 3)
ROUNDS = 3  # part 2 alternates 1 and 2 workers this often; the medians are compared


def run(
    models: Path, path: Path, sizes: tuple[int, ...] = SIZES, rounds: int = ROUNDS
) -> dict[str, Any]:
    """Both parts; every number in one dict."""
    per_size = {}
    for size in sizes:
        per_size[str(size)] = run_child(
            "bench.batch_size",
            ["--child-parts", str(models), str(path)],
            timeout=3600,
            FUNSCRIBE_BATCH_SIZE_S=str(size),
            OMP_NUM_THREADS="1",
        )
    args = ["--child-pools", str(models), str(path), "--rounds", str(rounds)]
    pools = run_child("bench.batch_size", args, timeout=7200)
    one, two = pools["1"]["wall"], pools["2"]["wall"]
    return {"file": str(path), "sizes": per_size, "pools": pools, "speedup_2_vs_1": one / two}


def report(result: dict[str, Any]) -> str:
    """The tables."""
    rows = []
    for size, r in result["sizes"].items():
        batch_s = sum(b["wall"] for b in r["batches"])
        speech = sum(b["speech_s"] for b in r["batches"])
        split = r["plan_wall"] + batch_s + r["assemble_wall"]
        rows.append(
            [
                size,
                len(r["batches"]),
                round(speech / batch_s, 2) if batch_s else None,
                round(max((b["wall"] for b in r["batches"]), default=0.0), 2),
                round(r["plan_wall"], 2),
                round(r["assemble_wall"], 2),
                round(r["whole_wall"], 2),
                round(split, 2),
                f"{(split / r['whole_wall'] - 1) * 100:+.1f}%",
            ]
        )
    headers = ["batch_size_s", "batches", "speech s / s", "longest batch s", "plan s"]
    headers += ["assembly s", "whole s", "split s"]
    out = [table([*headers, "split overhead"], rows), ""]
    pools = result["pools"]
    out.append(
        table(
            ["workers", "median wall s", "walls s (alternating)", "batches on each worker"],
            [
                [n, round(p["wall"], 2), [round(w, 1) for w in p["walls"]], p["per_worker"][0]]
                for n, p in pools.items()
            ],
        )
    )
    out.append(f"\n2 workers vs 1 on one file: {result['speedup_2_vs_1']:.3f}x")
    return "\n".join(out)


def _child_parts(models: str, path: str) -> int:
    from engine.audio import decode_audio
    from engine.backend import Backend
    from engine.batches.audio_cache import AudioCache
    from engine.batches.parts import run_part
    from engine.job_runner import run_job
    from engine.model_set import ModelSet
    from engine.protocol import Assemble, ErrorCode, Plan, Planned, RunBatch, Transcribe

    class Control:
        def is_cancelled(self, job: str) -> bool:
            return False

        def end_code(self, job: str) -> ErrorCode:
            return ErrorCode.CANCELLED

    backend = Backend(ModelSet.from_dir(models), threads=1)
    audio = decode_audio(path)
    sent: list[Any] = []
    run_job(backend, Transcribe("warm", path), Control(), sent.append, audio[: 16000 * 20])
    started = time.perf_counter()
    run_job(backend, Transcribe("whole", path), Control(), sent.append, audio)
    whole = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        cache = AudioCache()
        started = time.perf_counter()
        planned = run_part(backend, Plan("s", path, folder), Control(), sent.append, cache)
        plan_wall = time.perf_counter() - started
        assert isinstance(planned, Planned), planned
        batches = []
        for index, ms in enumerate(planned.batch_ms):
            started = time.perf_counter()
            run_part(
                backend,
                RunBatch(job="s", path=path, folder=folder, index=index),
                Control(),
                sent.append,
                cache,
            )
            batches.append({"speech_s": ms / 1000, "wall": time.perf_counter() - started})
        started = time.perf_counter()
        run_part(backend, Assemble("s", path, folder), Control(), sent.append, cache)
        assemble = time.perf_counter() - started
    emit(
        {
            "whole_wall": whole,
            "plan_wall": plan_wall,
            "batches": batches,
            "assemble_wall": assemble,
        }
    )
    return 0


def _child_pools(models: str, path: str, rounds: int) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from bench.common import DATA_CLIP
    from bench.pool_run import run_batch, wait_until
    from engine.pool.pool import PoolConfig, WorkerPool

    app = QCoreApplication([])  # noqa: F841 - the pool's QProcesses need it
    loop = QEventLoop()
    out: dict[str, Any] = {n: {"walls": [], "per_worker": []} for n in ("1", "2")}
    with tempfile.TemporaryDirectory() as folder:
        pools: dict[int, WorkerPool] = {}
        for workers in (1, 2):  # both warm at once: an idle worker costs no CPU
            config = PoolConfig(models_dir=models, workers=workers, threads=1)
            pools[workers] = WorkerPool(config, checkpoints=f"{folder}/{workers}")
            pools[workers].start()
            wait_until(loop, lambda p=pools[workers], n=workers: p.ready_count == n, 600)
            run_batch(pools[workers], loop, [str(DATA_CLIP)] * workers)  # warm every worker
        # 1, 2, 1, 2, ...: a drifting machine load hits both sides alike.
        for _ in range(rounds):
            for workers, pool in pools.items():
                per_worker: dict[int, int] = {}

                def part(_j: str, kind: str, _i: int, pid: int, _r: bool, seen=per_worker) -> None:
                    if kind == "batch":
                        seen[pid] = seen.get(pid, 0) + 1

                pool.partEnded.connect(part)
                started = time.time()
                job = pool.submit(path)
                wait_until(loop, lambda p=pool, j=job: p.job(j).state.finished, 7200)
                out[str(workers)]["walls"].append(time.time() - started)
                pool.partEnded.disconnect(part)
                if pool.job(job).transcript is None:
                    raise RuntimeError(pool.job(job).error_message)
                pool.remove(job)
                out[str(workers)]["per_worker"].append(sorted(per_worker.values()))
        for pool in pools.values():
            pool.shutdown()
    for side in out.values():
        side["wall"] = statistics.median(side["walls"])
    emit(out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure and print; --quick: tiny models, a one-minute file, two sizes (a smoke run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.batch_size", description=__doc__)
    parser.add_argument("--child-parts", nargs=2, metavar=("MODELS", "FILE"))
    parser.add_argument("--child-pools", nargs=2, metavar=("MODELS", "FILE"))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--models", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--sizes", default=None)
    args = parser.parse_args(argv)
    if args.child_parts:
        return _child_parts(*args.child_parts)
    if args.child_pools:
        return _child_pools(*args.child_pools, args.rounds)
    from bench.audio import make_files
    from engine.testing.tiny_models import build_model_set

    sizes: tuple[int, ...] = SIZES
    if args.quick:
        models = args.models or build_model_set(Path(tempfile.gettempdir()) / "funscribe-tiny")
        seconds, sizes = args.seconds or 60, (30, 15)
    else:
        from bench.models import ensure_models

        models, seconds = args.models or ensure_models(MODELS), args.seconds or 300
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    [path] = make_files(1, seconds)
    result = run(Path(models), path, sizes, 1 if args.quick else ROUNDS)
    print(report(result))
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
