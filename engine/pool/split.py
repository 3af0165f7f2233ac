"""Files as sets of batches on the host side: what each file has left, and who runs what next.

The policy, in one place (`next_work`). A free worker takes, in this order:

1. the assembly of a file whose batches are all saved (it finishes a file);
2. while files wait in the queue: the next batch of the file it planned itself, else
3. the next queued file: whole (one `transcribe`, no plan, batches or assembly) when it is
   short and the files behind it hold at least twice its length for each other worker, so
   split files still come after it to even out the end; else its plan (the worker becomes
   that file's owner);
4. when no file waits: the longest batch left among the running files whose audio is cheap
   to move (files up to `SWITCH_MS`, or the one the worker holds); with only long files,
   the next batch of the file it holds, else of the oldest running file (it helps).

A file's "next" batch is its longest one not yet saved or running (see
`SplitFile.next_batch`), so the short ones are left to fill the end.

With more queued files than workers, rules 2 and 3 keep each file on one worker: whole files
while the queue is long (one command each instead of plan, batches and assembly; their CPU
cost is within noise of the split path's, bench/results/batches.md), then files run as
batches on the worker that planned them. A long file (over `SWITCH_MS`), one
that has checkpoints already, and one whose length the header does not say always split,
so they resume after a crash and can spread. When no file waits, rule 4 lets
idle workers take batches of the running files, so one long file spreads over every worker,
and the short files at the end of a queue share their batches longest first, so the workers
finish together instead of one running the last batch and assembly alone. See
docs/batches.md.

No Qt here: the pool (engine.pool.pool) sends the commands and feeds back their ends.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.batches.store import plan_path
from engine.pool.jobs import Job
from engine.protocol import Assemble, Plan, Progress, RunBatch, Stage, Transcribe

# Files up to this long are cheap to move between workers (decoding one costs well under a
# second); a worker leaves the file it holds for a longer one only when its own has no batch.
SWITCH_MS = 5 * 60 * 1000
# A file runs whole only while the files queued behind it hold this many times its length
# for each other worker.
WHOLE_MARGIN = 2

DurationOf = Callable[[Job], "int | None"]  # a queued file's length in ms, None if unknown


class Part(str, enum.Enum):
    """The three kinds of work a split file is made of."""

    PLAN = "plan"
    BATCH = "batch"
    ASSEMBLE = "assemble"
    WHOLE = "whole"  # the file in one `transcribe`, as without batches


@dataclass
class Work:
    """One command for one worker: a part of the file `job`."""

    job: Job
    part: Part
    index: int = -1  # the batch, for Part.BATCH

    def command(self, folder: str) -> Plan | RunBatch | Assemble | Transcribe:
        """The protocol command for this work."""
        job = self.job
        if self.part is Part.WHOLE:
            return Transcribe(job=job.id, path=job.path, options=job.options)
        if self.part is Part.PLAN:
            return Plan(job=job.id, path=job.path, folder=folder, options=job.options)
        if self.part is Part.BATCH:
            return RunBatch(
                job=job.id, path=job.path, folder=folder, options=job.options, index=self.index
            )
        return Assemble(job=job.id, path=job.path, folder=folder, options=job.options)


@dataclass
class SplitFile:
    """A running file's batches: planned, running (on which worker) and saved."""

    job: Job
    owner: object  # the worker slot that planned it
    batch_ms: list[int] | None = None  # None until planned
    done: set[int] = field(default_factory=set)
    running: dict[int, object] = field(default_factory=dict)  # batch -> worker slot
    partial_ms: dict[int, int] = field(default_factory=dict)  # batch -> speech done so far
    assembling: object | None = None  # the worker slot assembling it
    planning: object | None = None  # the worker slot planning it
    audio_ms: int | None = None  # the file's length, once planned

    def next_batch(self) -> int | None:
        """The longest batch neither saved nor running (the first of equals).

        Batches are independent and the assembly puts their results back in FunASR's
        order, so they may run in any order. FunASR's order is shortest first; running the
        longest first leaves short batches for the end, so the workers finish together
        instead of one running a long last batch while the others wait.
        """
        if self.batch_ms is None:
            return None
        pending = [
            i for i in range(len(self.batch_ms)) if i not in self.done and i not in self.running
        ]
        batch_ms = self.batch_ms
        return max(pending, key=lambda i: (batch_ms[i], -i), default=None)

    def length_ms(self, index: int) -> int:
        """The speech time of batch `index` (0 before the plan)."""
        return self.batch_ms[index] if self.batch_ms is not None else 0

    def ready_to_assemble(self) -> bool:
        """Every batch saved and nobody assembling yet."""
        return (
            self.batch_ms is not None
            and len(self.done) == len(self.batch_ms)
            and self.assembling is None
        )

    def batch_run_by(self, worker: object) -> int | None:
        """The batch `worker` runs for this file, if any."""
        return next((i for i, w in self.running.items() if w is worker), None)

    def shown_progress(self, worker: object, progress: Progress) -> Progress | None:
        """The file's progress after `worker`'s part reported `progress` (None: no change)."""
        if worker is self.planning:
            # The plan's decode and VAD; the ASR stage it announces as it stops belongs to
            # the batches (the file shows ASR once it is planned).
            return progress if progress.stage in (Stage.DECODE, Stage.VAD) else None
        index = self.batch_run_by(worker)
        if index is not None and progress.stage is Stage.ASR:
            self.partial_ms[index] = progress.audio_ms_done
            return self.asr_progress()
        if worker is self.assembling and progress.stage in (Stage.PUNC, Stage.SPEAKERS):
            return progress
        return None  # a batch's or the assembly's own decode: the file is past that

    def asr_progress(self) -> Progress:
        """The file's ASR progress over all its batches (speech time saved or computed)."""
        batch_ms = self.batch_ms or []
        total = sum(batch_ms)
        done_ms = sum(batch_ms[i] for i in self.done)
        done_ms += sum(ms for i, ms in self.partial_ms.items() if i not in self.done)
        return Progress(self.job.id, Stage.ASR, len(self.done), len(batch_ms), done_ms, total)


class SplitFiles:
    """Every running split file, by job id, and the policy that hands out their parts."""

    def __init__(self, root: str, duration_of: DurationOf | None = None) -> None:
        self.root = Path(root)
        self.files: dict[str, SplitFile] = {}
        self.held: dict[object, str] = {}  # worker -> the file whose audio it has decoded
        self.duration_of = duration_of  # None: every file runs as batches

    def folder(self, job_id: str) -> str:
        """The job's checkpoint folder."""
        return str(self.root / job_id)

    def next_work(self, worker: object, queued: Sequence[Job], workers: int = 1) -> Work | None:
        """What `worker` (one of `workers`) runs next (the policy above), or None."""
        files = list(self.files.values())
        for file in files:
            if file.ready_to_assemble():
                return Work(file.job, Part.ASSEMBLE)
        if queued:
            for file in files:
                index = file.next_batch() if file.owner is worker else None
                if index is not None:
                    return Work(file.job, Part.BATCH, index)
            whole = self._runs_whole(queued[0], queued[1:], workers)
            return Work(queued[0], Part.WHOLE if whole else Part.PLAN)
        return self._balanced_batch(worker, files)

    def _runs_whole(self, job: Job, behind: Sequence[Job], workers: int) -> bool:
        """Rule 3: `job` is short, has no checkpoints, and the files behind it hold at least
        `WHOLE_MARGIN` times its length for each other worker (probed only until they do)."""
        if self.duration_of is None or not behind or plan_path(self.folder(job.id)).exists():
            return False
        length = self.duration_of(job)
        if length is None or length > SWITCH_MS:
            return False
        needed = WHOLE_MARGIN * length * max(1, workers - 1)
        queued_ms = 0
        for other in behind:
            queued_ms += self.duration_of(other) or 0
            if queued_ms >= needed:
                return True
        return False

    def _balanced_batch(self, worker: object, files: list[SplitFile]) -> Work | None:
        """Nothing waits: the longest batch left among the running files, so every worker
        ends with the short ones and the files finish together. Moving to another file
        costs its decode, so a worker moves only to a short file; with long files it stays
        with the file it holds, else helps the oldest one."""
        pending = [(file, index) for file in files if (index := file.next_batch()) is not None]
        if not pending:
            return None
        held = self.held.get(worker)
        cheap = [
            (file, index)
            for file, index in pending
            if file.job.id == held or (file.audio_ms is not None and file.audio_ms <= SWITCH_MS)
        ]
        if cheap:
            file, index = max(cheap, key=lambda c: (c[0].length_ms(c[1]), c[0].job.id == held))
            return Work(file.job, Part.BATCH, index)
        file, index = next(((f, i) for f, i in pending if f.job.id == held), pending[0])
        return Work(file.job, Part.BATCH, index)

    def started(self, work: Work, worker: object) -> None:
        """`worker` was given `work`."""
        self.held[worker] = work.job.id
        if work.part is Part.PLAN:
            self.files[work.job.id] = SplitFile(work.job, owner=worker, planning=worker)
            return
        file = self.files[work.job.id]
        if work.part is Part.BATCH:
            file.running[work.index] = worker
            file.partial_ms.pop(work.index, None)
        else:
            file.assembling = worker

    def planned(
        self, job_id: str, batch_ms: list[int], done: list[int], audio_ms: int | None = None
    ) -> None:
        """The plan of `job_id` arrived (`audio_ms`: the file's length)."""
        file = self.files[job_id]
        file.batch_ms, file.done, file.planning = list(batch_ms), set(done), None
        file.audio_ms = audio_ms

    def batch_done(self, job_id: str, index: int) -> None:
        """Batch `index` of `job_id` is saved."""
        file = self.files[job_id]
        file.done.add(index)
        file.running.pop(index, None)

    def part_lost(self, job_id: str, worker: object) -> None:
        """`worker`'s part of `job_id` ended without its result: it runs again later."""
        file = self.files.get(job_id)
        if file is None:
            return
        if file.assembling is worker:
            file.assembling = None
        if file.planning is worker:
            file.planning = None
        for index in [i for i, w in file.running.items() if w is worker]:
            del file.running[index]

    def forget(self, job_id: str) -> SplitFile | None:
        """The file ended (done, failed, cancelled or queued again): no worker's decoded
        copy of it is worth keeping any more."""
        self.held = {worker: held for worker, held in self.held.items() if held != job_id}
        return self.files.pop(job_id, None)
