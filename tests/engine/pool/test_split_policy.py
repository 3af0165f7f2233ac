"""The split policy (engine.pool.split.next_work), simulated with parts of known length."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from engine.pool.jobs import Job
from engine.pool.split import Part, SplitFiles
from engine.testing.split_simulation import SimulatedRun
from engine.testing.split_simulation import simulate as simulate_policy


def simulate(
    batches: dict[str, int],
    workers: int,
    batch_s: float = 10.0,
    lengths: dict[str, list[float]] | None = None,
    audio_ms: dict[str, int] | None = None,
    whole_files: bool = False,
) -> SimulatedRun:
    """Files named by id with their batch count; plan and assembly take 1 s, a batch `batch_s`
    (or, for a file in `lengths`, its own batch lengths in seconds), a whole file its
    batches' sum (`whole_files`: short files may run whole while the queue is long)."""
    lengths = {name: [batch_s] * count for name, count in batches.items()} | (lengths or {})

    def seconds(job: str, part: Part, index: int) -> float:
        if part is Part.WHOLE:
            return sum(lengths[job])
        return lengths[job][index] if part is Part.BATCH else 1.0

    batch_ms = {name: [int(s * 1000) for s in lengths[name]] for name in batches}
    return simulate_policy(batch_ms, workers, seconds, audio_ms, whole_files)


def _whole(run: SimulatedRun) -> list[str]:
    return [name for _, _, _, name, part, _ in run.parts if part is Part.WHOLE]


def _workers_of(run: SimulatedRun, job: str) -> set[str]:
    return {
        worker for _, _, worker, name, part, _ in run.parts if name == job and part is Part.BATCH
    }


def test_one_long_file_and_three_short_ones_on_two_workers_fill_both_workers() -> None:
    run = simulate({"long": 12, "s1": 1, "s2": 1, "s3": 1}, workers=2)
    assert _workers_of(run, "long") == {"w0", "w1"}  # the long file's batches spread
    assert run.idle_while_queued == []  # no file waits while a worker idles
    ends = {name: end for _, end, _, name, part, _ in run.parts if part is Part.ASSEMBLE}
    assert set(ends) == {"long", "s1", "s2", "s3"}
    assert run.busy_share > 0.95  # both workers busy nearly all the time


def test_more_files_than_workers_run_whole_files_one_per_worker() -> None:
    run = simulate({f"f{i}": 3 for i in range(6)}, workers=2)
    # Every file but the last one started runs all its batches on the worker that planned it.
    for name in [f"f{i}" for i in range(5)]:
        assert len(_workers_of(run, name)) == 1, name


def test_a_single_file_spreads_over_three_workers_and_a_batch_runs_once() -> None:
    run = simulate({"only": 9}, workers=3)
    assert _workers_of(run, "only") == {"w0", "w1", "w2"}
    batches = [index for *_, part, index in run.parts if part is Part.BATCH]
    assert sorted(batches) == list(range(9))


def test_the_longest_batches_run_first_so_the_workers_finish_a_file_together() -> None:
    # FunASR's order: shortest first. In that order the last batch handed out is the longest
    # (30 s) and the other worker would wait for most of it.
    growing = [1.0, 1.0, 2.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 30.0]
    run = simulate({"only": len(growing)}, workers=2, lengths={"only": growing})
    order = [index for *_, part, index in run.parts if part is Part.BATCH]
    assert order[:2] == [9, 8] and sorted(order) == list(range(10))
    ends = [end for _, end, _, _, part, _ in run.parts if part is Part.BATCH]
    starts = [start for start, _, _, _, part, _ in run.parts if part is Part.ASSEMBLE]
    # The two workers' last batches end within one short batch of each other.
    last_two = sorted(ends)[-2:]
    assert last_two[1] - last_two[0] <= 2.0 and starts == [last_two[1]]


def test_the_last_short_files_of_a_queue_share_their_batches_so_the_workers_end_together() -> None:
    # The last two files: one of many short batches, one of a few long ones. Each on its own
    # worker, the second would still run its long batches when the first is done.
    files = {"f0": [4.0], "f1": [4.0], "short": [1.0] * 8, "long": [2.0, 8.0, 8.0]}
    run = simulate({name: len(b) for name, b in files.items()}, workers=2, lengths=files)
    long_batches = [(w, i) for _, _, w, name, part, i in run.parts if name == "long" and i > 0]
    assert len({w for w, _ in long_batches}) == 2  # its two 8 s batches ran side by side
    end = max(e for _, e, *_ in run.parts)
    lasts = [max(e for _, e, worker, *_ in run.parts if worker == w) for w in ("w0", "w1")]
    assert end - min(lasts) <= 2.0  # idle at the end: one short batch and one assembly


def test_long_files_are_not_moved_between_workers_to_balance_them() -> None:
    # Over SWITCH_MS: a worker helps another file only once its own has no batch left.
    long_ms = 20 * 60 * 1000
    files = {"f0": [2.0, 3.0, 30.0], "f1": [2.0, 3.0, 4.0, 5.0, 6.0, 40.0]}
    run = simulate(
        {name: len(b) for name, b in files.items()},
        workers=2,
        lengths=files,
        audio_ms={name: long_ms for name in files},
    )
    switches = 0
    for w in ("w0", "w1"):
        mine = [
            name for _, _, worker, name, part, _ in run.parts if worker == w and part is Part.BATCH
        ]
        switches += sum(1 for a, b in pairwise(mine) if a != b)
    assert switches <= 1  # the worker done first moves once, to help the other file


def test_a_file_that_ended_is_held_by_no_worker() -> None:
    split, job, other = SplitFiles("/nowhere"), Job(id="a", path="a"), Job(id="b", path="b")
    for worker, queued in (("w0", [job, other]), ("w1", [other])):
        work = split.next_work(worker, queued)
        assert work is not None and work.part is Part.PLAN
        split.started(work, worker)
    assert split.held == {"w0": "a", "w1": "b"}
    split.forget("a")
    assert split.held == {"w1": "b"}  # an entry per file that ran would grow all session


def test_short_files_run_whole_while_the_queue_is_long_and_the_last_ones_as_batches() -> None:
    run = simulate({f"f{i}": 3 for i in range(4)}, workers=2, whole_files=True)
    # f0 and f1 each have twice their length queued behind them; f2 and f3 do not, and
    # their batches even out the end.
    assert _whole(run) == ["f0", "f1"]
    assert _workers_of(run, "f2") and _workers_of(run, "f3")
    assert run.idle_while_queued == []
    assert run.busy_share > 0.95


def test_with_whole_files_a_long_file_still_spreads_and_no_file_waits() -> None:
    run = simulate({"long": 12, "s1": 1, "s2": 1, "s3": 1}, workers=2, whole_files=True)
    assert "long" not in _whole(run)  # more than the queue behind it: it splits
    assert _workers_of(run, "long") == {"w0", "w1"}
    assert run.idle_while_queued == []
    assert run.busy_share > 0.95


def test_a_file_runs_as_batches_when_long_unknown_alone_or_already_checkpointed(
    tmp_path: Path,
) -> None:
    ten_minutes = 10 * 60 * 1000
    lengths = {"short": 60_000, "next": 600_000, "long": ten_minutes, "unknown": None}
    split = SplitFiles(str(tmp_path), lambda job: lengths[job.id])

    def part(name: str, behind: list[str]) -> Part:
        queued = [Job(id=n, path=n) for n in [name, *behind]]
        work = split.next_work("w0", queued, workers=2)
        assert work is not None
        return work.part

    assert part("short", ["next"]) is Part.WHOLE
    assert part("short", []) is Part.PLAN  # nothing behind it: it can still spread
    assert part("long", ["next", "next"]) is Part.PLAN  # over SWITCH_MS: checkpoints matter
    assert part("unknown", ["next"]) is Part.PLAN
    (tmp_path / "short").mkdir()
    (tmp_path / "short" / "plan.json").write_text("{}")
    assert part("short", ["next"]) is Part.PLAN  # it resumes from its saved batches
