"""What a pool runs: the worker command, how many workers, how many threads each."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.pool.launcher import worker_command
from engine.pool.sizing import default_threads, default_workers, physical_cores


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

    def oversubscribed(self) -> bool:
        """More busy threads than physical cores (only when the user overrides the sizing)."""
        if not self.passive_when_oversubscribed:
            return False
        return self.worker_total() * self.worker_threads() > physical_cores()
