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
READY_TIMEOUT_S = 600.0  # building 1 GiB of tensors on a loaded machine: minutes, not seconds


def run(seconds: float = SECONDS) -> dict[str, Any]:
    """Every probe alone and in pairs."""
    out = {}
    for probe in PROBES:
        alone = _rates(probe, 1, seconds)
        pair = _rates(probe, 2, seconds)
        out[probe] = {"alone": alone[0], "pair": pair, "scaling": sum(pair) / alone[0]}
    return out


def _rates(probe: str, count: int, seconds: float) -> list[float]:
    # Each child builds its tensors, says "ready" and waits; all are told "go" together, so
    # the pair overlaps however long the set-up took (no fixed head start to guess).
    command = [sys.executable, "-m", "bench.scaling", "--child", probe, str(seconds)]
    env = child_env(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    procs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]
    try:
        for proc in procs:
            _wait_ready(proc, probe)
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        rates = []
        for proc in procs:
            out, _ = proc.communicate(timeout=seconds * 10 + 60)
            rates.append(float(out.strip().splitlines()[-1].split()[-1]))
        return rates
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()


def _wait_ready(proc: subprocess.Popen[str], probe: str) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.strip() == "ready":
            return
        if not line:
            raise RuntimeError(f"probe {probe} exited before it was ready ({proc.wait()})")
    raise RuntimeError(f"probe {probe} was not ready in {READY_TIMEOUT_S:.0f} s")


def markdown(result: dict[str, Any]) -> str:
    """Scaling per probe."""
    rows = [[p, r["alone"], sum(r["pair"]), r["scaling"]] for p, r in result.items()]
    return table(["probe", "1 process ops/s", "2 processes ops/s", "scaling (max 2)"], rows)


def child(probe: str, seconds: float) -> None:
    """Build the probe, say "ready", run it for `seconds` once told "go"; print its rate."""
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
    print("ready", flush=True)
    sys.stdin.readline()  # "go": every process of the run is ready
    ops, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        step()
        ops += 1
    print(f"rate {ops / (time.perf_counter() - started)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """`--child PROBE SECONDS`: one probe process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("PROBE", "SECONDS"), required=True)
    args = parser.parse_args(argv)
    child(args.child[0], float(args.child[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
