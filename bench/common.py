"""What every benchmark shares: paths, the machine description, memory readings, tables."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
MODELS = BENCH / ".models-full"
AUDIO = BENCH / ".audio"
_MIB = 1024 * 1024


def child_env(**extra: str) -> dict[str, str]:
    """Our environment with the source tree importable and the hubs offline."""
    env = dict(os.environ)
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *parts])
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("MODELSCOPE_OFFLINE", "1")
    env.update(extra)
    return env


def run_child(module: str, args: Sequence[str], timeout: float, **env: str) -> dict[str, Any]:
    """Run `python -m module args` and return the JSON object on its last stdout line."""
    out = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{module} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def emit(result: dict[str, Any]) -> None:
    """A child's answer: one JSON line on stdout."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def machine() -> dict[str, Any]:
    """What ran the benchmark, for the results table."""
    import torch

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    import funasr

    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "funasr": getattr(funasr, "__version__", "?"),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def load_average() -> float:
    """The 1-minute load average (0 where unknown)."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def smaps(pid: int) -> dict[str, float]:
    """Resident, proportional and unique memory of a process, in MiB (/proc smaps_rollup)."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            fields[parts[0].rstrip(":")] = int(parts[1]) * 1024
    unique = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {
        "rss_mib": round(fields.get("Rss", 0) / _MIB, 1),
        "pss_mib": round(fields.get("Pss", 0) / _MIB, 1),
        "uss_mib": round(unique / _MIB, 1),
        "shared_mib": round(
            (fields.get("Shared_Clean", 0) + fields.get("Shared_Dirty", 0)) / _MIB, 1
        ),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A markdown table (also readable as plain text)."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    out = [_row(list(headers), widths), "| " + " | ".join("-" * w for w in widths) + " |"]
    out += [_row(r, widths) for r in cells]
    return "\n".join(out)


def _row(values: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return "" if value is None else str(value)


def verdict(ok: bool) -> str:
    """A word for a goal."""
    return "met" if ok else "MISSED"


DATA_CLIP = ROOT / "tests" / "data" / "speech.wav"  # 6 s of speech: the warm-up job
