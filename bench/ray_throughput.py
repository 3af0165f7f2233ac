"""Ray throughput: 2 Ray actors vs the local pool of 2 workers on the same files, and what
Ray costs per file, with audio decoded on the driver or read by the actors from a shared path.

    python -m bench.ray_throughput [--quick] [--files N] [--seconds S] [--models DIR]

Both sides run 2 x 1 thread on warm model sets (one short warm-up job each), full-size
random-weight models, in child processes one after the other. Ray's overhead per file is the
driver's wall time for a file (hand-over to result) minus the actor's own inference time; on
the driver side it includes decoding, and the transfer of the decoded audio, when the driver
decodes; the rest, without decoding, is Ray's own cost (hand-over, transfer, results).
The two audio modes alternate (driver, shared, driver, shared) so that a drifting machine
load hits both alike. The actors' memory is read from /proc once they are warm.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from statistics import mean
from typing import Any

from bench.common import DATA_CLIP, MODELS, emit, run_child, smaps, table
from bench.throughput import summarise

MODES = ("driver", "shared")


def run(
    models: Path | None = None, files: list[Path] | None = None, quick: bool = False
) -> dict[str, Any]:
    """Pool (c) and Ray on the same files; speeds, ratios, overhead per file, actor memory."""
    from bench import audio
    from bench.models import ensure_models

    models = models or ensure_models(MODELS)
    if files is None:
        count, seconds = (2, 20.0) if quick else (4, 90.0)
        files = audio.make_files(count, seconds)
    paths = [str(f) for f in files]
    common = ["--models", str(models), "--warmup", str(DATA_CLIP)]
    pool_raw = run_child("bench.pool_run", ["--pool", "c", "2", "1", *common, *paths], 3600)
    pool = summarise(pool_raw["c"])
    ray_raw = run_child("bench.ray_throughput", ["--child", *common, *paths], 3600)
    audio_total = pool["audio_seconds"]
    modes = {}
    for mode in MODES:
        batches = ray_raw[mode]
        jobs = [j for b in batches for j in b["jobs"]]
        wall = mean(b["wall"] for b in batches)
        modes[mode] = {
            "wall": round(wall, 3),
            "speed": audio_total / wall,
            "ratio_to_pool": (audio_total / wall) / pool["speed"],
            "beyond_inference_per_file_s": mean(j["wall"] - j["infer_seconds"] for j in jobs),
            "ray_overhead_per_file_s": mean(
                j["wall"] - j["infer_seconds"] - j["decode_seconds"] - j["driver_decode_seconds"]
                for j in jobs
            ),
            "decode_per_file_s": mean(
                j["decode_seconds"] + j["driver_decode_seconds"] for j in jobs
            ),
            "bytes_sent_per_file": mean(j["bytes_sent"] for j in jobs),
            "jobs": jobs,
        }
    return {
        "files": len(paths),
        "audio_seconds": audio_total,
        "pool": {"wall": pool["wall"], "speed": pool["speed"], "jobs": pool["jobs"]},
        "ray": modes,
        "actor_memory": ray_raw["memory"],
        "actor_start_seconds": ray_raw["start_seconds"],
    }


def markdown(result: dict[str, Any]) -> str:
    """The speed table with ratios and per-file overhead, then the actors' memory."""
    pool = result["pool"]
    rows: list[list[Any]] = [["pool: 2 workers x 1 thread", pool["wall"], pool["speed"], 1.0]]
    rows[0] += ["", "", "", ""]
    for mode, r in result["ray"].items():
        rows.append(
            [
                f"Ray: 2 actors x 1 thread, audio from {mode}",
                r["wall"],
                r["speed"],
                r["ratio_to_pool"],
                r["beyond_inference_per_file_s"],
                r["decode_per_file_s"],
                r["ray_overhead_per_file_s"],
                r["bytes_sent_per_file"] / 2**20,
            ]
        )
    head = ["set-up", "wall s", "x realtime", "vs pool", "s/file beyond inference"]
    head += ["of which decoding", "of which Ray", "MiB sent/file"]
    out = [table(head, rows), ""]
    ray = result["ray"]
    cheaper = min(ray, key=lambda m: ray[m]["beyond_inference_per_file_s"])
    out += [
        f"{result['files']} files, {result['audio_seconds']:.0f} s of audio; Ray's wall is the"
        " mean of two alternating batches per mode. Beyond inference = the driver's wall per"
        " file - the actor's inference time. Cheaper here: audio from"
        f" {cheaper} (one machine: the object store is local shared memory, no network).",
        "",
    ]
    mem = [[f"actor {i + 1}", *m.values()] for i, m in enumerate(result["actor_memory"])]
    out.append(table(["warm actor", *result["actor_memory"][0].keys()], mem))
    return "\n".join(out)


# ---- the child: warm actors on a private 2-CPU Ray instance --------------------------------


def _batch(actors: list[Any], files: list[str], mode: str) -> dict[str, Any]:
    """Every file through the actors, one at a time each; per-file timings."""
    import ray

    from engine.audio import decode_audio
    from engine.protocol import Progress, Result, Transcribe

    queue = list(files)
    idle = list(actors)
    running: list[tuple[Any, Any, dict[str, Any]]] = []  # (generator, actor, record)
    jobs: list[dict[str, Any]] = []
    started = time.perf_counter()
    while queue or running:
        while idle and queue:
            actor, path = idle.pop(), queue.pop(0)
            began = time.perf_counter()
            audio = decode_audio(path) if mode == "driver" else None
            record: dict[str, Any] = {
                "path": path,
                "driver_decode_seconds": time.perf_counter() - began,
                "bytes_sent": int(audio.nbytes) if audio is not None else 0,
                "began": began,
            }
            job = Transcribe(job=f"{mode}-{len(jobs) + len(running)}", path=path)
            gen = actor.run.remote(job, audio, None if mode == "driver" else path)
            running.append((gen, actor, record))
        ready, _ = ray.wait([g for g, _, _ in running], num_returns=1)
        for item in [r for r in running if any(x is r[0] for x in ready)]:
            gen, actor, record = item
            event = ray.get(next(gen))
            if isinstance(event, Progress):
                continue
            if not isinstance(event, Result):
                raise RuntimeError(f"{record['path']}: {event}")
            record["wall"] = time.perf_counter() - record.pop("began")
            record["infer_seconds"] = event.stats["infer_seconds"]
            record["decode_seconds"] = event.stats["decode_seconds"]  # on the actor
            record["audio_seconds"] = event.stats["audio_seconds"]
            jobs.append(record)
            running.remove(item)
            idle.append(actor)
    return {"wall": time.perf_counter() - started, "jobs": jobs}


def _child(models: str, warmup: str, files: list[str]) -> dict[str, Any]:
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # loopback only
    # Ray starts its workers at nice 15; the pool's run at 0. Equal terms on a busy machine.
    os.environ.setdefault("RAY_worker_niceness", "0")
    import ray

    from engine.cluster.actor import Transcriber

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        began = time.perf_counter()
        options = Transcriber.options(num_cpus=1)  # type: ignore[attr-defined]
        actors = [options.remote(["--models", models], 1, "cpu") for _ in range(2)]
        hellos = [hello for hello, _node in ray.get([a.hello.remote() for a in actors])]
        start_seconds = time.perf_counter() - began
        _batch(actors, [warmup, warmup], "shared")
        memory = [smaps(hello.pid) for hello in hellos]
        out: dict[str, Any] = {"memory": memory, "start_seconds": round(start_seconds, 2)}
        for mode in (*MODES, *MODES):  # alternating, against drift
            out.setdefault(mode, []).append(_batch(actors, files, mode))
        return out
    finally:
        ray.shutdown()


def main(argv: list[str] | None = None) -> int:
    """As a benchmark: run and print the table. With --child: one Ray run, one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.ray_throughput")
    parser.add_argument("--quick", action="store_true", help="2 files of 20 s: a smoke run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--models", type=Path)
    parser.add_argument("--warmup", default=str(DATA_CLIP))
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if args.child:
        emit(_child(str(args.models), args.warmup, args.files))
        return 0
    files = [Path(f) for f in args.files] or None
    print(markdown(run(args.models, files, quick=args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
