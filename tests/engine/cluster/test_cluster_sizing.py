"""How many actors a cluster gets, and what each reserves (no Ray needed)."""

from __future__ import annotations

from engine.cluster.sizing import plan_actors
from engine.pool.sizing import GIB, MODEL_SET_BYTES


def test_a_cpu_cluster_gets_one_single_thread_actor_per_cpu_that_memory_allows() -> None:
    plan = plan_actors({"CPU": 16, "memory": 64 * GIB}, files=100)
    assert (plan.count, plan.threads, plan.device) == (12, 1, "cpu")  # 64 GiB / 5 GiB
    assert plan.ray_options() == {"num_cpus": 1, "num_gpus": 0, "memory": MODEL_SET_BYTES}


def test_threads_per_actor_divide_the_cpus_so_none_are_oversubscribed() -> None:
    plan = plan_actors({"CPU": 16, "memory": 512 * GIB}, files=100, threads=4)
    assert (plan.count, plan.num_cpus) == (4, 4)


def test_a_gpu_cluster_gets_one_actor_per_gpu() -> None:
    plan = plan_actors({"CPU": 64, "GPU": 4, "memory": 512 * GIB}, files=100)
    assert (plan.count, plan.device, plan.num_gpus, plan.num_cpus) == (4, "cuda", 1, 1)


def test_workers_override_the_sizing_and_no_run_starts_more_actors_than_files() -> None:
    assert plan_actors({"CPU": 2, "memory": 64 * GIB}, files=100, workers=3).count == 3
    assert plan_actors({"CPU": 16, "memory": 512 * GIB}, files=2).count == 2
    assert plan_actors({"CPU": 1, "memory": GIB}, files=5).count == 1  # always at least one
