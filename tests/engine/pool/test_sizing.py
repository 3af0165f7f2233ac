"""Sizing: workers from cores and free memory, threads so that workers × threads <= cores."""

from __future__ import annotations

import sys

import pytest

from engine.pool import sizing
from engine.pool.launcher import worker_command
from engine.pool.pool import PoolConfig

GIB = 1024**3


def test_this_machine_reports_at_least_one_core_and_some_memory() -> None:
    assert sizing.physical_cores() >= 1
    assert sizing.available_memory_bytes() > 0


@pytest.mark.parametrize(
    ("cores", "memory", "workers"),
    [
        (2, 64 * GIB, 2),
        (8, 64 * GIB, 8),
        (4, 16 * GIB, 2),
        (8, 11 * GIB, 1),
        (64, 512 * GIB, 8),
        (1, 0, 1),
    ],
)
def test_default_workers_is_limited_by_cores_and_by_memory(
    monkeypatch: pytest.MonkeyPatch, cores: int, memory: int, workers: int
) -> None:
    monkeypatch.setattr(sizing, "physical_cores", lambda: cores)
    monkeypatch.setattr(sizing, "available_memory_bytes", lambda: memory)
    assert sizing.default_workers() == workers


@pytest.mark.parametrize("cores", [1, 2, 3, 8, 16])
def test_workers_times_threads_never_exceeds_the_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    monkeypatch.setattr(sizing, "physical_cores", lambda: cores)
    for workers in range(1, cores + 1):
        assert workers * sizing.default_threads(workers) <= cores


def test_an_accelerator_gets_one_worker_by_default() -> None:
    assert sizing.default_workers(device="cuda") == 1


def test_explicit_workers_and_threads_override_the_defaults() -> None:
    config = PoolConfig(models_dir="/m", workers=3, threads=5)
    _program, args = config.command()
    assert config.worker_total() == 3
    assert args[args.index("--threads") + 1] == "5"
    assert args[args.index("--models") + 1] == "/m"


def test_the_worker_runs_from_source_as_python_dash_m_engine() -> None:
    program, args = worker_command(["--models", "/m"], 2)
    assert program == sys.executable
    assert args == ["-m", "engine", "--models", "/m", "--threads", "2"]


def test_a_frozen_app_runs_its_worker_as_itself_with_dash_dash_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    program, args = worker_command(["--models", "/m"], 1)
    assert program == sys.executable
    assert args[0] == "--engine"


def test_oversubscribed_workers_wait_passively(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.pool.config import PoolConfig
    from engine.pool.launcher import worker_environment

    monkeypatch.setattr("engine.pool.config.physical_cores", lambda: 2)
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    fitting, oversubscribed = PoolConfig(workers=2, threads=1), PoolConfig(workers=2, threads=2)

    assert not fitting.oversubscribed()
    assert "OMP_WAIT_POLICY" not in worker_environment(oversubscribed=fitting.oversubscribed())
    assert oversubscribed.oversubscribed()
    env = worker_environment(oversubscribed=oversubscribed.oversubscribed())
    assert env["OMP_WAIT_POLICY"] == "PASSIVE"
