"""Memory of idle warm workers (full-size models), FunASR's loading vs mapped weights.

For each loading mode (FUNSCRIBE_FAST_LOAD=0, then 1): start one worker, run one short job
so it is warm, read /proc/PID/smaps_rollup; start a second, warm it too, read both again.
Then both run one long file at once, and are read again, idle after a real job.
Unique = private pages (USS); PSS splits each shared page among the processes that map it,
so the sum of PSS is what the workers cost together. The spawn-to-hello time of each worker
is kept for the cold-start table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import smaps, table
from bench.worker_client import Worker
from engine.protocol import JobOptions, Result, Transcribe

GOAL_SECOND_SHARE = 0.5
MODES = {"funasr": "0", "mapped": "1"}


def _jobs(workers: list[Worker], clip: Path, job: str) -> None:
    for worker in workers:
        worker.send(Transcribe(job=job, path=str(clip), options=JobOptions()))
    for worker in workers:
        _, end = worker.until_end(job)
        if not isinstance(end, Result):
            raise RuntimeError(f"{job} failed: {end}")


def measure(models: Path, clip: Path, long_file: Path, fast: str) -> dict[str, Any]:
    """One then two warm workers in one loading mode."""
    first = Worker(models, FUNSCRIBE_FAST_LOAD=fast)
    workers = [first]
    try:
        cold = [first.wait_hello()]
        loaded = smaps(first.pid)
        _jobs([first], clip, "warm")
        one = smaps(first.pid)
        second = Worker(models, FUNSCRIBE_FAST_LOAD=fast)
        workers.append(second)
        cold.append(second.wait_hello())
        _jobs([second], clip, "warm")
        both = [smaps(first.pid), smaps(second.pid)]
        _jobs(workers, long_file, "long")
        after_long = [smaps(first.pid), smaps(second.pid)]
    finally:
        for worker in workers:
            worker.close()
    return {
        "first_after_load": loaded,
        "one_worker": one,
        "two_workers": both,
        "two_after_long_job": after_long,
        "second_unique_share": both[1]["uss_mib"] / one["uss_mib"],
        "added_by_second_mib": both[0]["pss_mib"] + both[1]["pss_mib"] - one["pss_mib"],
        "cold_start": [
            {"spawn_to_hello_s": round(s, 3), "load_s": hello.load_seconds} for s, hello in cold
        ],
    }


def run(models: Path, clip: Path, long_file: Path) -> dict[str, Any]:
    """Both loading modes; the second worker's cost in each."""
    modes = {}
    for name, flag in MODES.items():
        modes[name] = measure(models, clip, long_file, flag)
        print(f"  {name}: second worker unique {modes[name]['second_unique_share']:.0%} of first")
    return {"modes": modes}


def markdown(result: dict[str, Any]) -> str:
    """RSS/PSS/USS of one and two workers per mode, and the second worker's share."""
    rows = []
    for name, m in result["modes"].items():
        one, (w1, w2) = m["one_worker"], m["two_workers"]
        rows.append([name, "1 worker", one["rss_mib"], one["pss_mib"], one["uss_mib"], "", ""])
        rows.append([name, "2 workers: first", w1["rss_mib"], w1["pss_mib"], w1["uss_mib"], "", ""])
        rows.append(
            [
                name,
                "2 workers: second",
                w2["rss_mib"],
                w2["pss_mib"],
                w2["uss_mib"],
                f"{m['second_unique_share']:.0%}",
                f"{m['added_by_second_mib']:.0f} ({m['added_by_second_mib'] / one['pss_mib']:.0%})",
            ]
        )
        for label, w in zip(("first", "second"), m["two_after_long_job"], strict=True):
            row = [w["rss_mib"], w["pss_mib"], w["uss_mib"]]
            rows.append([name, f"after a long job each: {label}", *row, "", ""])
    head = [
        "loading",
        "process",
        "RSS MiB",
        "PSS MiB",
        "unique MiB",
        "2nd unique / 1st",
        "added by 2nd MiB (of 1st)",
    ]
    mapped = result["modes"].get("mapped")
    funasr = result["modes"].get("funasr")
    notes = [table(head, rows), ""]
    if mapped and funasr:
        share = mapped["second_unique_share"]
        verdict = (
            "met"
            if share <= GOAL_SECOND_SHARE
            else (f"MISSED by {100 * (share - GOAL_SECOND_SHARE):.0f} points")
        )
        saved = funasr["added_by_second_mib"] - mapped["added_by_second_mib"]
        notes.append(
            f"Second worker's unique memory: {share:.0%} of the first's with mapped weights "
            f"(goal <= {GOAL_SECOND_SHARE:.0%}: {verdict}), {funasr['second_unique_share']:.0%}"
            f" with FunASR's loader. Mapped loading saves {saved:.0f} MiB per extra worker."
        )
    return "\n".join(notes)
