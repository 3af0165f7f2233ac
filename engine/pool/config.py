"""What a pool runs: the worker command, how many workers, how many threads each."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.pool.launcher import worker_command
from engine.pool.sizing import default_threads, default_workers, physical_cores

# Cold starts of the full-size models measured 8.2 s (mapped weights) and 11.2 s (FunASR's
# loader) from spawn to hello (bench/results/latest.md, section 5), with a warm page cache.
# A cold disk or a swapping machine is several times slower; a hung one never finishes.
DEFAULT_LOAD_TIMEOUT_S = 180.0
MAX_RESPAWN_DELAY_MS = 60_000


@dataclass
class PoolConfig:
    """What the workers load and how many run; None means sized from this machine."""

    models_dir: str | None = None
    model_args: list[str] = field(default_factory=list)
    workers: int | None = None
    threads: int | None = None
    rss_limit_mb: int | None = None  # recycle a worker after a job that left it this big
    device: str = "cpu"
    program: tuple[str, list[str]] | None = None  # the whole worker command, for tests
    passive_when_oversubscribed: bool = True  # False: the benchmark's unmitigated case
    # A worker that has not loaded its models by then is stopped (None: wait forever).
    load_timeout_s: float | None = DEFAULT_LOAD_TIMEOUT_S
    respawn_delay_ms: int = 500  # after the 2nd death in a row; doubles with each further one
    max_early_deaths: int = 3  # deaths in a row, before finishing a job, that break a slot
    # With checkpoints: short files run whole while the queue is long (False: all as batches).
    whole_files_while_queued: bool = True

    def worker_total(self) -> int:
        """Workers to run."""
        return max(1, self.workers or default_workers(device=self.device))

    def worker_threads(self) -> int:
        """Threads per worker."""
        return max(1, self.threads or default_threads(self.worker_total()))

    def command(self) -> tuple[str, list[str]]:
        """Program and arguments of one worker."""
        if self.program is not None:
            return self.program[0], list(self.program[1])
        args = ["--models", self.models_dir] if self.models_dir else []
        args += [*self.model_args, "--device", self.device]
        return worker_command(args, self.worker_threads())

    def load_timeout_ms(self) -> int | None:
        """The load timeout in milliseconds, or None for none."""
        return int(self.load_timeout_s * 1000) if self.load_timeout_s else None

    def respawn_delay(self, deaths: int) -> int:
        """Milliseconds to wait before starting a worker after `deaths` deaths in a row."""
        if deaths <= 1:
            return 0
        return min(self.respawn_delay_ms * 2 ** min(deaths - 2, 16), MAX_RESPAWN_DELAY_MS)

    def oversubscribed(self) -> bool:
        """More busy threads than physical cores (only when the user overrides the sizing)."""
        if not self.passive_when_oversubscribed:
            return False
        return self.worker_total() * self.worker_threads() > physical_cores()
