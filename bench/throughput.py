"""Throughput: the same files through eight set-ups in one run; audio seconds per wall second.

(a) one worker x 1 thread, (a2) one worker x 2 threads, (b) the seed's one AutoModel behind a
lock with 2 helper threads, (c) the pool with 2 workers x 1 thread running files as batches
as the app does (a worker left without a file of its own helps with another file's batches),
(cw) as (c) with whole files, one per worker, (d) 2 workers x 2 threads
(oversubscribed, unmitigated), and (dp) as (d) with OMP_WAIT_POLICY=PASSIVE, the remedy the
pool applies by itself whenever workers x threads exceed the cores, and (cu) as (c) with
speaker windows embedded one at a time as FunASR does (what batching them gains). Each
set-up runs on warm workers (one short warm-up job each) in a fresh child process, except a, c
and cw: one child keeps them all warm and runs each on every file in `rounds` rounds, the
order turning each round (a c cw, c cw a, cw a c), so that a drifting machine load hits
every side alike; a set-up's speed is its audio over its wall summed over the rounds.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from statistics import mean
from typing import Any

from bench.common import DATA_CLIP, run_child, table

# key: (kind, workers, threads, extra environment, label); the keys in SPLIT run files as
# batches (a checkpointing pool), the others whole files.
SETUPS: dict[str, tuple[str, int, int, dict[str, str], str]] = {
    "a": ("pool", 1, 1, {}, "1 worker x 1 thread"),
    "c": ("pool", 2, 1, {}, "pool: 2 workers x 1 thread, batches"),
    "cw": ("pool", 2, 1, {}, "c with whole files"),
    "b": ("seed", 1, 2, {"OMP_NUM_THREADS": "2"}, "seed: 1 AutoModel + lock, 2 threads"),
    "a2": ("pool", 1, 2, {}, "1 worker x 2 threads"),
    "d": ("pool", 2, 2, {}, "2 workers x 2 threads"),
    "dp": ("pool", 2, 2, {"OMP_WAIT_POLICY": "PASSIVE"}, "d + OMP_WAIT_POLICY=PASSIVE"),
    "cu": ("pool", 2, 1, {"FUNSCRIBE_BATCH_SPEAKERS": "0"}, "c, speaker windows one by one"),
}
SPLIT = frozenset({"c"})
RATIOS = (
    ("c", "a"),
    ("cw", "a"),
    ("c", "a2"),
    ("c", "b"),
    ("d", "cw"),
    ("dp", "cw"),
    ("cw", "cu"),
)
GOALS = {"c/a": 1.9, "c/b": 2.3}
ROUNDS = 3  # a, c and cw each run every file this often, in turn (one child)
TOGETHER = ("a", "c", "cw")  # the set-ups whose ratios are the goals: warm in one child
BUSY_GOAL = 0.99  # set-up c: a worker idles only while nothing at all is left to run


def run(
    models: Path, files: list[Path], setups: list[str] | None = None, rounds: int = ROUNDS
) -> dict[str, Any]:
    """Every set-up on `files`; per-set-up speed, per-job detail, and the ratios."""
    chosen = setups or list(SETUPS)
    raw: dict[str, Any] = {}
    common = ["--models", str(models), "--warmup", str(DATA_CLIP)]
    paths = [str(f) for f in files]
    together = [key for key in TOGETHER if key in chosen]
    if len(together) > 1:
        args = together_args(together, len(files), rounds)
        raw.update(run_child("bench.pool_run", [*args, *common, *paths], timeout=7200))
    for key in chosen:
        if key in raw:
            continue
        kind, workers, threads, env, _label = SETUPS[key]
        if kind == "pool":
            args = ["--pool", key, str(workers), str(threads), *common, *paths]
            args += ["--split", key] if key in SPLIT else []
            raw.update(run_child("bench.pool_run", args, timeout=3600, **env))
        else:
            args = ["--threads", str(threads), *common, *paths]
            raw[key] = run_child("bench.seed_lock", args, timeout=3600, **env)
    results = {}
    for key in chosen:
        results[key] = summarise(raw[key])
        print(f"  {key}: {results[key]['speed']:.2f}x realtime ({results[key]['wall']:.1f} s)")
    per_round = {
        f"{t}/{b}": round_ratios(results, t, b)
        for t, b in RATIOS
        if t in TOGETHER and b in TOGETHER
    }
    return {
        "setups": results,
        "ratios": ratios(results),
        "round_ratios": {k: v for k, v in per_round.items() if v},
        "labels": _labels(),
    }


def together_args(keys: list[str], files: int, rounds: int) -> list[str]:
    """pool_run arguments: every pool of `keys`, then each on all files, `rounds` times,
    the order turning by one each round."""
    args: list[str] = []
    for key in keys:
        _kind, workers, threads, _env, _label = SETUPS[key]
        args += ["--pool", key, str(workers), str(threads)]
        args += ["--split", key] if key in SPLIT else []
    for turn in range(rounds):
        for key in keys[turn % len(keys) :] + keys[: turn % len(keys)]:
            args += ["--batch", key, "0", str(files)]
    return args


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    """Speed of the batch, and what it is made of: per-job speed, busy share, CPU per audio."""
    jobs = raw["jobs"]
    audio = sum(j["audio_seconds"] for j in jobs)
    # Workers holding a command, sampled by the pool runner; the seed has no workers, and a
    # whole-file job's wall is its worker's busy time.
    busy = raw.get("busy_worker_seconds") or sum(j["wall"] for j in jobs)
    stages: dict[str, float] = {}
    for job in jobs:
        for stage, seconds in job.get("stages", {}).items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    return {
        "workers": raw["workers"],
        "threads": raw["threads"],
        "audio_seconds": round(audio, 2),
        "wall": round(raw["wall"], 3),
        "walls": [round(w, 3) for w in raw.get("walls", [raw["wall"]])],
        "speed": audio / raw["wall"],
        # Realtime factor of one job while it runs (the seed's jobs also wait for the lock).
        "job_speed": mean(j["audio_seconds"] / j["wall"] for j in jobs),
        "busy_share": busy / (raw["workers"] * raw["wall"]),
        "cpu_per_audio": raw["worker_cpu_seconds"] / audio,
        # What the pool's own process took from the cores meanwhile (0 where not measured).
        "host_cpu_share": raw.get("host_cpu_seconds", 0.0) / raw["wall"],
        "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
        "jobs": jobs,
        "idle": idle_spans(raw.get("busy_changes", []), raw["workers"]),
        **(
            {"torch_threads_in_helper": raw["torch_threads_in_helper"]}
            if "torch_threads_in_helper" in raw
            else {}
        ),
    }


def idle_spans(batches: list[list[list[float]]], workers: int) -> list[list[float]]:
    """[start s, seconds, idle workers] of every span with a worker idle, batch after batch
    (from the pool runner's busy-count changes): where a busy share below 1 comes from."""
    spans = []
    for changes in batches:
        for (at, count), (until, _next) in pairwise(changes):
            if count < workers and until > at:
                spans.append([at, round(until - at, 3), workers - count])
    return spans


def ratios(results: dict[str, Any]) -> dict[str, float]:
    """c/a, c/a2, c/b, d/c, dp/c where both sides ran."""
    out = {}
    for top, bottom in RATIOS:
        if top in results and bottom in results:
            out[f"{top}/{bottom}"] = results[top]["speed"] / results[bottom]["speed"]
    return out


def round_ratios(results: dict[str, Any], top: str, bottom: str) -> list[float]:
    """top/bottom in each round where both ran every file each round (same audio: the
    inverse ratio of the walls)."""
    if top not in results or bottom not in results:
        return []
    top_walls, bottom_walls = results[top]["walls"], results[bottom]["walls"]
    if len(top_walls) != len(bottom_walls) or len(top_walls) < 2:
        return []
    return [b / t for t, b in zip(top_walls, bottom_walls, strict=True)]


def shortfall(results: dict[str, Any]) -> dict[str, float]:
    """Split cw/a into its factors: 2 x per-job speed ratio x busy-share ratio (whole files:
    with batches a job's speed also counts its helpers)."""
    a, c = results.get("a"), results.get("cw")
    if not a or not c:
        return {}
    out = {
        "job_speed_ratio": c["job_speed"] / a["job_speed"],
        "busy_share_ratio": c["busy_share"] / a["busy_share"],
        "cpu_per_audio_ratio": c["cpu_per_audio"] / a["cpu_per_audio"],
    }
    for stage, seconds in a["stage_seconds"].items():
        if seconds > 0 and stage in c["stage_seconds"]:
            out[f"stage_{stage}_slowdown"] = c["stage_seconds"][stage] / seconds
    return out


def markdown(result: dict[str, Any]) -> str:
    """The throughput table, the ratios against their goals, and the c/a breakdown."""
    setups = result["setups"]
    rows = [
        [
            key,
            SETUPS[key][4],
            s["audio_seconds"],
            s["wall"],
            s["speed"],
            s["job_speed"],
            s["busy_share"],
            s["cpu_per_audio"],
        ]
        for key, s in setups.items()
    ]
    head = ["", "set-up", "audio s", "wall s", "x realtime", "per-job x", "busy", "CPU s/audio s"]
    out = [table(head, rows), ""]
    ratio_rows = []
    for name, value in result["ratios"].items():
        goal = GOALS.get(name)
        ratio_rows.append([name, f"{value:.3f}", f">= {goal}" if goal else "", _goal(value, goal)])
    out += [table(["ratio", "value", "goal", ""], ratio_rows), ""]
    for name, values in result.get("round_ratios", {}).items():
        shown = ", ".join(f"{v:.3f}" for v in values)
        out += [f"{name} in each round (a, c and cw in turn, one child): {shown}", ""]
    r = result["ratios"]
    if "d/cw" in r and "dp/cw" in r and r["d/cw"] < 0.5:
        out += [
            f"(d) runs 2 x 2 OpenMP threads on {_cores()} cores and reaches {r['d/cw']:.2f} of"
            " (cw): at each parallel region's barrier a thread spins while its partner waits"
            f" for a core. OMP_WAIT_POLICY=PASSIVE (dp) brings it to {r['dp/cw']:.2f} of (cw).",
            "",
        ]
    if "c" in setups:
        busy = setups["c"]["busy_share"]
        out += [f"(c) busy share {busy:.3f} (goal >= {BUSY_GOAL}: {_goal(busy, BUSY_GOAL)})", ""]
    parts = shortfall(setups)
    if parts:
        rows = [[k, v] for k, v in parts.items()]
        out += ["cw/a = 2 x job_speed_ratio x busy_share_ratio:", ""]
        out.append(table(["factor", "c vs a"], rows))
    return "\n".join(out)


def _cores() -> int:
    import os

    return os.cpu_count() or 1


def _goal(value: float, goal: float | None) -> str:
    if goal is None:
        return ""
    return "met" if value >= goal else f"MISSED by {goal - value:.3f}"


def _labels() -> dict[str, str]:
    return {key: spec[4] for key, spec in SETUPS.items()}
