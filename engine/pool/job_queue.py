"""The pool's jobs in queue order (no Qt): lookup by id, reordering, removal."""

from __future__ import annotations

from engine.pool.jobs import Job, JobState


class JobQueue:
    """Every job the pool knows, in the order they run; the order and the index change together."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._order: list[str] = []

    def add(self, job: Job) -> None:
        """Append a job; its id must be new."""
        if job.id in self._jobs:
            raise ValueError(f"job {job.id} is already in the pool")
        self._jobs[job.id] = job
        self._order.append(job.id)

    def get(self, job_id: str) -> Job | None:
        """The job with this id, or None."""
        return self._jobs.get(job_id)

    def __getitem__(self, job_id: str) -> Job:
        return self._jobs[job_id]

    def all(self) -> list[Job]:
        """Every job, in queue order."""
        return [self._jobs[i] for i in self._order]

    def queued(self) -> list[Job]:
        """Jobs waiting for a worker, next first."""
        return [job for job in self.all() if job.state is JobState.QUEUED]

    def has_work(self) -> bool:
        """True while a job waits or runs."""
        return any(j.state is JobState.QUEUED or j.state.active for j in self._jobs.values())

    def remove(self, job_id: str) -> None:
        """Forget a job."""
        del self._jobs[job_id]
        self._order.remove(job_id)

    def move(self, job_id: str, delta: int) -> bool:
        """Move a queued job `delta` places among the queued jobs; False if nothing moved."""
        queued = [job.id for job in self.queued()]
        if job_id not in queued or delta == 0:
            return False
        target = min(max(queued.index(job_id) + delta, 0), len(queued) - 1)
        neighbour = queued[target]
        if neighbour == job_id:
            return False
        self._order.remove(job_id)
        at = self._order.index(neighbour)
        self._order.insert(at if delta < 0 else at + 1, job_id)
        return True
