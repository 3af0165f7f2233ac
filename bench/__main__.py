"""`python -m bench` (`make bench`): every benchmark in one run; tables on stdout and in
bench/results/latest.md, everything measured in bench/results/latest.json.

    python -m bench [--quick] [--only throughput,memory,...] [--files N] [--seconds S]

Each comparison runs inside one invocation, side by side, so a noisy machine still gives
true ratios. The 1-minute load average before and after is recorded with the results.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import audio
from bench.common import DATA_CLIP, MODELS, RESULTS, ROOT, load_average, machine
from bench.models import ensure_models

SECTIONS = (
    "scaling",
    "throughput",
    "batches",
    "overhead",
    "profile",
    "responsiveness",
    "memory",
    "cancel",
    "reader",
    "editor",
    "ray",
)
# Not in a plain run: it generates and transcribes a 40-minute meeting first (~10 min here).
EXTRA_SECTIONS = ("recluster",)
TITLES = {
    "scaling": "Machine scaling (two single-thread processes)",
    "throughput": "1. Throughput",
    "batches": "1b. One file as batches: batch size, and one file on 2 workers vs 1",
    "overhead": "2. Worker overhead vs bare AutoModel.generate",
    "profile": "Profile: one worker alone vs beside a second (py-spy)",
    "responsiveness": "3. Responsiveness",
    "memory": "4. Memory of idle warm workers",
    "cancel": "5. Cancel latency and cold start",
    "reader": "6. Reading long result lines (JSON-lines codec)",
    "editor": "7. Editor on a 3,000-sentence transcript",
    "ray": "8. Ray cluster vs the local pool",
    "recluster": "9. Re-cluster a 40-minute meeting",
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 short files: a smoke run")
    parser.add_argument(
        "--only", help="comma-separated sections: " + ",".join(SECTIONS + EXTRA_SECTIONS)
    )
    parser.add_argument("--files", type=int, default=4, help="throughput files (default 4)")
    parser.add_argument("--seconds", type=float, default=90, help="length of each file")
    parser.add_argument("--models", type=Path, default=MODELS, help="model set (built if absent)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    return parser.parse_args(argv)


def run_section(name: str, models: Path, files: list[Path], quick: bool) -> dict[str, Any]:
    """Run one benchmark; returns its result dict (with its markdown)."""
    from bench import (
        batch_size,
        cancel_coldstart,
        editor,
        memory,
        overhead,
        profile,
        ray_throughput,
        reader,
        recluster,
        responsiveness,
        scaling,
        throughput,
    )

    if name == "scaling":
        result = scaling.run(seconds=2 if quick else scaling.SECONDS)
        return {"result": result, "markdown": scaling.markdown(result)}
    if name == "throughput":
        result = throughput.run(models, files, rounds=1 if quick else throughput.ROUNDS)
        return {"result": result, "markdown": throughput.markdown(result)}
    if name == "batches":
        from bench.audio import make_files as make_long

        sizes = (30, 15) if quick else batch_size.SIZES
        [long] = make_long(1, 60 if quick else 300)
        result = batch_size.run(models, long, sizes, 1 if quick else batch_size.ROUNDS)
        return {"result": result, "markdown": batch_size.report(result)}
    if name == "overhead":
        result = overhead.run(models, files[:2])
        return {"result": result, "markdown": overhead.markdown(result)}
    if name == "profile":
        result = profile.run(models, files[0], DATA_CLIP)
        return {"result": result, "markdown": profile.markdown(result)}
    if name == "responsiveness":
        result = responsiveness.run(models, files[:2], window_runs=2 if quick else 5)
        return {"result": result, "markdown": responsiveness.markdown(result)}
    if name == "memory":
        result = memory.run(models, DATA_CLIP, files[0])
        return {"result": result, "markdown": memory.markdown(result)}
    if name == "cancel":
        result = cancel_coldstart.run(models, files[0], cold_runs=1 if quick else 2)
        return {"result": result, "markdown": cancel_coldstart.markdown(result)}
    if name == "reader":
        result = reader.run()
        return {"result": result, "markdown": reader.markdown(result)}
    if name == "editor":
        result = editor.run(scale=0.2 if quick else 1.0)
        return {"result": result, "markdown": editor.markdown(result, editor.baseline())}
    if name == "ray":
        result = ray_throughput.run(models, files, quick)
        return {"result": result, "markdown": ray_throughput.markdown(result)}
    if name == "recluster":
        from bench.audio import make_files
        from engine.testing.tiny_models import build_model_set

        tiny = build_model_set(ROOT / "build" / "tiny-models")
        meeting = make_files(1, 600 if quick else 2400, folder=recluster.CACHE / "audio")[0]
        result = recluster.run(tiny, meeting)
        return {"result": result, "markdown": recluster.markdown(result)}
    raise ValueError(f"unknown section {name!r}")


def goals(sections: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(goal, target, measured, verdict) for every goal whose section ran."""
    out = []

    def add(goal: str, target: str, shown: str, ok: bool) -> None:
        out.append((goal, target, shown, "met" if ok else "MISSED"))

    if "throughput" in sections:
        r = sections["throughput"]["result"]["ratios"]
        if "c/a" in r:
            add("pool 2x1 vs 1 worker (c/a)", ">= 1.9", f"{r['c/a']:.3f}", r["c/a"] >= 1.9)
        if "c/b" in r:
            add("pool 2x1 vs seed lock (c/b)", ">= 2.3", f"{r['c/b']:.3f}", r["c/b"] >= 2.3)
        c = sections["throughput"]["result"]["setups"].get("c")
        if c:
            v = c["busy_share"]
            add("pool 2x1 busy share, 4 files (c)", ">= 0.99", f"{v:.3f}", v >= 0.99)
    if "batches" in sections:
        v = sections["batches"]["result"]["speedup_2_vs_1"]
        add("one 5-min file, 2 workers vs 1", ">= 1.8", f"{v:.3f}", v >= 1.8)
    if "overhead" in sections:
        v = 100 * sections["overhead"]["result"]["overhead"]
        add("worker overhead vs bare generate", "<= 3%", f"{v:+.2f}%", v <= 3)
    if "responsiveness" in sections:
        r = sections["responsiveness"]["result"]
        p99 = r["phases"]["transcribing"]["p99_ms"]
        add("GUI timer lateness p99, 2 workers busy", "< 30 ms", f"{p99:.1f} ms", p99 < 30)
        w = r["window"]["median_s"]
        add("window shown from process start", "< 1.5 s", f"{w:.3f} s", w < 1.5)
    if "memory" in sections:
        m = sections["memory"]["result"]["modes"].get("mapped")
        if m:
            v = 100 * m["second_unique_share"]
            add("2nd worker unique memory / 1st's", "<= 50%", f"{v:.0f}%", v <= 50)
    if "reader" in sections:
        biggest = max(sections["reader"]["result"]["lines"], key=lambda row: row["mb"])
        v = biggest["new_cpu_s"]
        add(f"read a {biggest['mb']:.0f} MB result line (CPU)", "< 1 s", f"{v:.2f} s", v < 1)
    if "editor" in sections:
        r = sections["editor"]["result"]
        o, opened = r["overall"], r["phases"]["open"]["op_max_ms"]
        p99, worst = o["late_p99_ms"], o["late_max_ms"]
        add("editor lateness p99, 3,000 sentences", "< 16 ms", f"{p99:.1f} ms", p99 < 16)
        add("editor lateness max, 3,000 sentences", "< 100 ms", f"{worst:.1f} ms", worst < 100)
        add("open a 3,000-sentence transcript", "< 300 ms", f"{opened:.0f} ms", opened < 300)
    if "recluster" in sections:
        r = sections["recluster"]["result"]
        v = max(r["warm_s"])
        add("re-cluster 40 min, warm (max)", "< 2 s", f"{v:.2f} s", v < 2)
    return out


def markdown(info: dict[str, Any], sections: dict[str, Any]) -> str:
    """latest.md: the machine, the goals, then every section's tables."""
    from bench.common import table

    m = info["machine"]
    lines = [
        "# FunScribe benchmarks",
        "",
        f"Run {m['date']} on {m['cpu']}, {m['logical_cpus']} logical CPUs, {m['memory_gib']} GiB"
        f" RAM; {m['os']}; Python {m['python']}, torch {m['torch']}, FunASR {m['funasr']}.",
        f"Models: random-weight, production dimensions (`{info['models']}`). Audio: "
        f"{info['audio']['files']} espeak-ng conversations, {info['audio']['total_seconds']:.0f} s"
        f" in all. Load average (1 min): {info['load_before']:.2f} before, "
        f"{info['load_after']:.2f} after; took {info['minutes']:.1f} min.",
        "",
        "## Goals",
        "",
        table(["goal", "target", "measured", ""], goals(sections)),
        "",
    ]
    for name in SECTIONS + EXTRA_SECTIONS:
        if name in sections:
            lines += [f"## {TITLES[name]}", "", sections[name]["markdown"], ""]
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    """Write via a .tmp file so that a reader never sees half a result."""
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections, print their tables, write latest.json and latest.md."""
    args = parse_args(argv)
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(chosen) - set(SECTIONS + EXTRA_SECTIONS)
    if unknown:
        sys.exit(f"unknown sections: {', '.join(sorted(unknown))}")
    started = time.time()
    load_before = load_average()
    print(f"models: {ensure_models(args.models)}", flush=True)
    count, seconds = (2, 20.0) if args.quick else (args.files, args.seconds)
    files = audio.make_files(count, seconds)
    sections: dict[str, Any] = {}
    for name in chosen:
        print(f"\n## {TITLES[name]}", flush=True)
        section_started = time.time()
        sections[name] = run_section(name, args.models, files, args.quick)
        sections[name]["seconds"] = round(time.time() - section_started, 1)
        print(sections[name]["markdown"], flush=True)
    info = {
        "machine": machine(),
        "models": str(args.models),
        "audio": {"files": len(files), "total_seconds": sum(audio.duration(f) for f in files)},
        "load_before": load_before,
        "load_after": load_average(),
        "minutes": (time.time() - started) / 60,
        "quick": args.quick,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(info, sections)
    write_atomically(args.out / "latest.json", json.dumps({**info, "sections": sections}, indent=1))
    write_atomically(args.out / "latest.md", text)
    print("\n## Goals\n")
    print(text.split("## Goals", 1)[1].split("\n## ", 1)[0].strip())
    print(f"\nwrote {args.out / 'latest.md'} and latest.json ({info['minutes']:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
