"""How many actors, and what each reserves: the local pool's rules, applied to the cluster.

Locally, workers x threads <= physical cores and one model set per worker must fit in free
memory (engine.pool.sizing). On Ray each actor reserves `threads` CPUs and one model set of
memory, so Ray's scheduler keeps both rules on every node; a GPU cluster gets one actor per GPU.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.pool.sizing import MODEL_SET_BYTES


@dataclass(frozen=True)
class ActorPlan:
    """The actors of one run and the Ray resources each one reserves."""

    count: int
    threads: int
    device: str
    num_cpus: int
    num_gpus: int
    memory_bytes: int

    def ray_options(self) -> dict[str, float]:
        """The resource arguments of `ActorClass.options(...)`."""
        return {"num_cpus": self.num_cpus, "num_gpus": self.num_gpus, "memory": self.memory_bytes}


def plan_actors(
    resources: Mapping[str, float],
    files: int,
    workers: int | None = None,
    threads: int | None = None,
    model_set_bytes: int = MODEL_SET_BYTES,
) -> ActorPlan:
    """Actors for `files` files on a cluster with `resources` (ray.cluster_resources()).

    `workers`/`threads` are the CLI's --workers/--threads; by default one thread per actor,
    the local pool's measured best (2 workers x 1 thread beat 1 worker x 2 threads).
    """
    threads = max(1, threads or 1)
    gpus = int(resources.get("GPU", 0))
    if gpus > 0:
        count = workers or gpus
        return ActorPlan(min(count, files), threads, "cuda", threads, 1, model_set_bytes)
    by_cores = int(resources.get("CPU", 1)) // threads
    memory = resources.get("memory")
    by_memory = int(memory) // model_set_bytes if memory else by_cores
    count = workers or max(1, min(by_cores, by_memory))
    return ActorPlan(max(1, min(count, files)), threads, "cpu", threads, 0, model_set_bytes)
