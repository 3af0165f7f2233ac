"""The pool's split policy run on a simulated clock: tests check its decisions, and
bench/split_sim.py measures the busy share it gives at each batch size.

Workers ask `engine.pool.split.SplitFiles.next_work` for work exactly as `WorkerPool` does;
each part takes the seconds a caller-given function says. No process, no model, no Qt.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.pool.jobs import Job, JobState
from engine.pool.split import Part, SplitFiles

# (start, end, worker, job id, part, batch index)
PartRun = tuple[float, float, str, str, Part, int]
# (job id, part, batch index) -> seconds; a whole file is (job id, Part.WHOLE, -1)
Duration = Callable[[str, Part, int], float]


@dataclass
class SimulatedRun:
    """Who ran what when, and when a worker found nothing while files were still queued."""

    workers: int
    parts: list[PartRun] = field(default_factory=list)
    idle_while_queued: list[tuple[float, str]] = field(default_factory=list)

    @property
    def busy_share(self) -> float:
        """Busy worker-seconds over workers x the time to the last part's end."""
        end = max((part[1] for part in self.parts), default=0.0)
        busy = sum(part[1] - part[0] for part in self.parts)
        return busy / (self.workers * end) if end else 0.0


def simulate(
    batch_ms: dict[str, list[int]],
    workers: int,
    seconds: Duration,
    audio_ms: dict[str, int] | None = None,
    whole_files: bool = False,
) -> SimulatedRun:
    """Queue the files (id -> each batch's speech ms, in queue order) on `workers` workers;
    `whole_files`: short files may run whole while the queue is long (their lengths are
    `audio_ms`, else their speech), as in the pool."""
    audio_ms = audio_ms or {}
    jobs = [Job(id=name, path=name) for name in batch_ms]

    def length(job: Job) -> int:
        return audio_ms.get(job.id, sum(batch_ms[job.id]))

    split = SplitFiles("/nowhere", length if whole_files else None)
    run = SimulatedRun(workers)
    queued = list(jobs)
    clock: list[tuple[float, int, str]] = [(0.0, i, f"w{i}") for i in range(workers)]
    running: dict[str, tuple[Job, Part, int]] = {}
    waiting: list[str] = []
    while clock:
        now, order, worker = heapq.heappop(clock)
        if worker in running:
            job, part, index = running.pop(worker)
            if part is Part.PLAN:
                split.planned(job.id, batch_ms[job.id], [], length(job))
            elif part is Part.BATCH:
                split.batch_done(job.id, index)
            elif part is Part.ASSEMBLE:
                split.forget(job.id)
                job.move_to(JobState.DONE)
            else:
                job.move_to(JobState.DONE)
        work = split.next_work(worker, queued, workers)
        if work is None:
            if queued:
                run.idle_while_queued.append((now, worker))
            waiting.append(worker)
            continue
        if work.part in (Part.PLAN, Part.WHOLE):
            queued.remove(work.job)
            work.job.move_to(JobState.RUNNING)
        if work.part is not Part.WHOLE:
            split.started(work, worker)
        took = seconds(work.job.id, work.part, work.index)
        running[worker] = (work.job, work.part, work.index)
        run.parts.append((now, now + took, worker, work.job.id, work.part, work.index))
        heapq.heappush(clock, (now + took, order, worker))
        # A finished part may give the waiting workers something: they look again then.
        for idle in waiting:
            heapq.heappush(clock, (now + took, order + 1, idle))
        waiting.clear()
    return run
