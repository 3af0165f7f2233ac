"""How far this machine lets two single-thread processes scale at all (the c/a ceiling).

Each probe runs alone, then as two processes at once, for a few seconds: `compute` multiplies
small matrices that stay in the core's cache; `memory` streams a 512 MiB weight matrix through
matrix-vector products, bound by memory bandwidth like the big layers of a model at batch 1;
`model` runs Paraformer-sized linear layers (512 x 2048, 100 frames) over 1 GiB of weights.
Scaling = the pair's total rate / the single process's rate (2.0 is perfect).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from bench.common import ROOT, child_env, table

PROBES = ("compute", "memory", "model")
SECONDS = 4.0
SETUP_SECONDS = 6.0  # time for the children to import torch and build their tensors


def run(seconds: float = SECONDS) -> dict[str, Any]:
    """Every probe alone and in pairs."""
    out = {}
    for probe in PROBES:
        alone = _rates(probe, 1, seconds)
        pair = _rates(probe, 2, seconds)
        out[probe] = {"alone": alone[0], "pair": pair, "scaling": sum(pair) / alone[0]}
    return out


def _rates(probe: str, count: int, seconds: float) -> list[float]:
    start_at = time.time() + SETUP_SECONDS
    command = [sys.executable, "-m", "bench.scaling", "--child", probe, str(seconds), str(start_at)]
    env = child_env(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    procs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(count)
    ]
    rates = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        fields = out.strip().splitlines()[-1].split()
        if fields[0] == "late":
            raise RuntimeError(f"probe {probe} was not ready in {SETUP_SECONDS} s")
        rates.append(float(fields[-1]))
    return rates


def markdown(result: dict[str, Any]) -> str:
    """Scaling per probe."""
    rows = [[p, r["alone"], sum(r["pair"]), r["scaling"]] for p, r in result.items()]
    return table(["probe", "1 process ops/s", "2 processes ops/s", "scaling (max 2)"], rows)


def child(probe: str, seconds: float, start_at: float) -> None:
    """Run one probe from `start_at` (wall clock, so that pairs overlap); print its rate."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    if probe == "compute":
        a, b = torch.randn(128, 128), torch.randn(128, 128)
        step = lambda: torch.mm(a, b)  # noqa: E731
    elif probe == "memory":
        w, v = torch.randn(8192, 16384), torch.randn(16384)
        step = lambda: torch.mv(w, v)  # noqa: E731
    else:
        layers = [torch.randn(2048, 512) for _ in range(256)]
        x = torch.randn(100, 512)
        step = lambda: [torch.nn.functional.linear(x, w) for w in layers]  # noqa: E731
    step()
    if time.time() > start_at:
        print("late", flush=True)
        return
    time.sleep(start_at - time.time())
    ops, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        step()
        ops += 1
    print(f"rate {ops / (time.perf_counter() - started)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """`--child PROBE SECONDS START_AT`: one probe process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=3, metavar=("PROBE", "SECONDS", "START_AT"), required=True)
    args = parser.parse_args(argv)
    child(args.child[0], float(args.child[1]), float(args.child[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
