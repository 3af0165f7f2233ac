"""`funscribe transcribe --cluster ray[=ADDRESS]`: the batch on Ray actors.

The driver holds the queue, hands one file at a time to each idle actor, and writes every
transcript with the local CLI's own writer (engine.cli_run.write_outputs), to the names the
local CLI plans (engine.cli.plan_outputs). Each file has at most one attempt in flight, and
only the driver writes, so no file is lost or written twice. An actor that dies takes no file
with it: Ray restarts the actor (bounded), and its file goes back to the queue for another
actor; a file whose actors died MAX_CRASHES times fails, as in the local pool.
"""

from __future__ import annotations

import contextlib
import enum
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ray
from ray.exceptions import ActorUnavailableError, RayError

from engine.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Plan
from engine.cli_progress import ProgressView
from engine.cli_run import write_outputs
from engine.cluster.actor import Transcriber
from engine.cluster.sizing import plan_actors
from engine.cluster.summary import (
    FileRecord,
    retry_lines,
    summary,
    summary_dict,
    write_summary,
)
from engine.cluster.target import AUDIO_FROM_DRIVER, ClusterTarget
from engine.pool.config import DEFAULT_LOAD_TIMEOUT_S
from engine.pool.eta import Throughput, apply_progress
from engine.pool.jobs import Job, JobState
from engine.pool.pool import MAX_CRASHES
from engine.protocol import Error, ErrorCode, Hello, Progress, Result, Transcribe

# Called with each progress event's job and the pid of the actor running it (tests use it).
Observer = Callable[[Job, int], None]
_WAIT_S = 0.5  # the longest the loop blocks; Ctrl-C is seen at once regardless
_RESTART_POLL_S = 0.5  # how often to ask an actor that Ray is restarting whether it is back


class ActorState(str, enum.Enum):
    """Where an actor is; every change goes through `_Slot.move_to`."""

    STARTING = "starting"  # loading models (first start, or Ray restarting it)
    IDLE = "idle"
    BUSY = "busy"
    DEAD = "dead"  # its restarts are spent, or its models failed to load
    STOPPED = "stopped"  # the run ended (or was interrupted) and the driver killed it


_A = ActorState
ACTOR_TRANSITIONS: dict[ActorState, frozenset[ActorState]] = {
    _A.STARTING: frozenset({_A.IDLE, _A.DEAD, _A.STOPPED}),
    _A.IDLE: frozenset({_A.BUSY, _A.STOPPED}),
    _A.BUSY: frozenset({_A.IDLE, _A.STARTING, _A.STOPPED}),
    _A.DEAD: frozenset(),
    _A.STOPPED: frozenset(),
}


@dataclass
class _Slot:
    """One actor as the driver sees it."""

    index: int
    actor: Any  # a Ray ActorHandle
    state: ActorState = ActorState.STARTING
    waiting_on: Any = None  # the hello ObjectRef while STARTING, the run generator while BUSY
    ask_again_at: float = 0.0  # STARTING without a hello in flight: Ray is restarting it
    job: str | None = None
    pid: int | None = None
    pids: list[int] = field(default_factory=list)  # one per (re)start
    node: str | None = None
    load_seconds: float | None = None
    files: int = 0
    deaths: int = 0  # seen by the driver; a restart may still be under way when the run ends
    failure: Error | None = None  # why it is DEAD before the run ended
    throughput: Throughput = field(default_factory=Throughput)

    def move_to(self, state: ActorState) -> None:
        if state not in ACTOR_TRANSITIONS[self.state]:
            raise RuntimeError(f"actor {self.index}: {self.state.value} -> {state.value}")
        self.state = state

    def info(self) -> dict[str, Any]:
        """This actor in the JSON summary."""
        return {
            "actor": self.index,
            "node": self.node,
            "pids": self.pids,
            "restarts": max(0, len(self.pids) - 1),
            "deaths": self.deaths,
            "files": self.files,
            "load_seconds": self.load_seconds,
            "state": self.state.value,
            "failure": self.failure.message if self.failure else None,
        }


def run(
    plan: Plan,
    target: ClusterTarget,
    audio_from: str = AUDIO_FROM_DRIVER,
    summary_json: Path | None = None,
    observer: Observer | None = None,
) -> int:
    """Transcribe the plan on a Ray cluster and write its outputs; returns the exit status."""
    view = ProgressView(sys.stderr)
    started_here = _connect(target)
    try:
        batch = ClusterBatch(plan, audio_from, view, observer)
        status = batch.run()
        if summary_json is not None:
            write_summary(summary_json, batch.summary_dict(status))
        return status
    finally:
        if started_here:
            ray.shutdown()


def _connect(target: ClusterTarget) -> bool:
    """Join the cluster (or start Ray here); True when this call did, so it also disconnects."""
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"log_to_driver": False}
    if target.address is None and not os.environ.get("RAY_ADDRESS"):
        kwargs["include_dashboard"] = False  # a private instance for this run only
    ray.init(address=target.address, **kwargs)
    return True


class ClusterBatch:
    """The queue, the actors, and the loop between them."""

    def __init__(
        self, plan: Plan, audio_from: str, view: ProgressView, observer: Observer | None = None
    ) -> None:
        self._plan = plan
        self._audio_from = audio_from
        self._view = view
        self._observer = observer
        self._records = [
            FileRecord(Job(id=f"f{i}", path=str(p), options=plan.options), shown=str(p))
            for i, p in enumerate(plan.inputs, 1)
        ]
        self._by_id = {r.job.id: r for r in self._records}
        self._slots: list[_Slot] = []
        self._wall = 0.0
        self._interrupted: int | None = None

    def run(self) -> int:
        """Run every file to its end; the exit status (130/143 after Ctrl-C/SIGTERM)."""
        started = time.monotonic()
        for note in self._plan.notes:
            self._view.message(f"note: {note}")
        try:
            with _terminate_as_interrupt() as received:
                self._start_actors()
                self._loop(started, received)
        except KeyboardInterrupt as exc:
            self._interrupted = exc.args[0] if exc.args else int(signal.SIGINT)
            self._view.message("interrupted: stopping actors")
            self._cancel_unfinished()
        finally:
            self._stop_actors()
        self._wall = time.monotonic() - started
        self._view.close()
        totals = summary(self._records, self._wall)
        for line in [*totals.lines(), *retry_lines(self._records)]:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        if self._interrupted is not None:
            return (
                EXIT_INTERRUPTED if self._interrupted == signal.SIGINT else 128 + self._interrupted
            )
        return EXIT_OK if totals.done == len(self._records) else EXIT_FAILED

    def summary_dict(self, exit_code: int) -> dict[str, Any]:
        """The run as the JSON summary."""
        actors = [slot.info() for slot in self._slots]
        return summary_dict(self._records, actors, self._wall, exit_code, self._audio_from)

    # ---- actors ---------------------------------------------------------------------------

    def _start_actors(self) -> None:
        plan = self._plan
        actor_plan = plan_actors(
            ray.cluster_resources(), len(plan.inputs), plan.workers, plan.threads
        )
        model_args = _absolute_paths(plan.models_args)
        options = actor_plan.ray_options()
        for index in range(1, actor_plan.count + 1):
            actor = Transcriber.options(**options).remote(  # type: ignore[attr-defined]
                model_args, actor_plan.threads, actor_plan.device
            )
            slot = _Slot(index, actor)
            slot.waiting_on = actor.hello.remote()
            self._slots.append(slot)
        self._view.message(
            f"cluster: {actor_plan.count} actor(s) x {actor_plan.threads} thread(s)"
            f" on {actor_plan.device}, audio from {self._audio_from}"
        )

    def _stop_actors(self) -> None:
        for slot in self._slots:
            with contextlib.suppress(RayError, ValueError):
                ray.kill(slot.actor, no_restart=True)
            if slot.state is not ActorState.DEAD:
                slot.move_to(ActorState.STOPPED)

    def _on_hello(self, slot: _Slot) -> None:
        try:
            hello, node = ray.get(slot.waiting_on)
        except ActorUnavailableError:  # Ray is restarting it: ask again in a moment
            slot.waiting_on = None
            slot.ask_again_at = time.monotonic() + _RESTART_POLL_S
            return
        except RayError as exc:  # its restarts are spent, or Ray could not place it
            why = f"actor {slot.index} is gone: {_first_line(exc)}"
            self._bury(slot, Error(None, ErrorCode.WORKER_CRASHED, why))
            return
        if not isinstance(hello, Hello):
            self._bury(slot, hello)
            return
        slot.pid, slot.node, slot.load_seconds = hello.pid, node, hello.load_seconds
        slot.pids.append(hello.pid)
        slot.waiting_on = None
        slot.move_to(ActorState.IDLE)

    def _bury(self, slot: _Slot, why: Error) -> None:
        slot.failure = why
        slot.waiting_on = None
        slot.move_to(ActorState.DEAD)
        with contextlib.suppress(RayError, ValueError):
            ray.kill(slot.actor, no_restart=True)
        self._view.message(f"actor {slot.index} stopped: {why.message}")

    # ---- the loop ---------------------------------------------------------------------------

    def _loop(self, started: float, received: list[int]) -> None:
        while any(not r.job.state.finished for r in self._records):
            if received:  # a signal whose KeyboardInterrupt was lost on the way
                raise KeyboardInterrupt(received[0])
            self._dispatch()
            waiting = [s for s in self._slots if s.state in (ActorState.STARTING, ActorState.BUSY)]
            if not waiting:
                self._fail_queued(self._no_actor_reason())
                return
            loaded = any(s.pids for s in self._slots)
            if not loaded and time.monotonic() - started > DEFAULT_LOAD_TIMEOUT_S:
                why = "no actor loaded its models in time (too few free CPUs or memory?)"
                self._fail_queued(Error(None, ErrorCode.LOAD_TIMEOUT, why))
                return
            refs = [s.waiting_on for s in self._ask_restarting(waiting) if s.waiting_on]
            if not refs:  # only actors that Ray is restarting
                time.sleep(_RESTART_POLL_S)
                continue
            ready, _ = ray.wait(refs, num_returns=1, timeout=_WAIT_S)
            for slot in waiting:
                if slot.waiting_on is not None and any(r is slot.waiting_on for r in ready):
                    if slot.state is ActorState.STARTING:
                        self._on_hello(slot)
                    else:
                        self._on_event(slot)

    def _ask_restarting(self, waiting: list[_Slot]) -> list[_Slot]:
        now = time.monotonic()
        for slot in waiting:
            if slot.waiting_on is None and now >= slot.ask_again_at:
                slot.waiting_on = slot.actor.hello.remote()
        return waiting

    def _dispatch(self) -> None:
        for slot in self._slots:
            if slot.state is not ActorState.IDLE:
                continue
            record = self._next_for(slot)
            if record is None:
                return
            self._start(record, slot)

    def _next_for(self, slot: _Slot) -> FileRecord | None:
        """The first queued file, skipping those whose actor died on it while others live."""
        others_alive = any(s is not slot and s.state is not ActorState.DEAD for s in self._slots)
        queued = [r for r in self._records if r.job.state is JobState.QUEUED]
        for record in queued:
            if slot.index not in record.avoid or not others_alive:
                return record
        return None

    def _start(self, record: FileRecord, slot: _Slot) -> None:
        job = record.job
        audio = None
        decode_path = None
        if self._audio_from == AUDIO_FROM_DRIVER:
            from engine.audio import AudioError, decode_audio

            try:
                audio = decode_audio(job.path)
            except AudioError as exc:
                self._finish(record, JobState.FAILED, Error(job.id, exc.code, str(exc)))
                return
        else:
            decode_path = str(Path(job.path).resolve())
        job.move_to(JobState.RUNNING)
        job.attempts += 1
        job.started_at = time.time()
        job.worker_pid = slot.pid
        record.actor, record.node = slot.index, slot.node
        slot.job = job.id
        slot.waiting_on = slot.actor.run.remote(
            Transcribe(job=job.id, path=job.path, options=job.options), audio, decode_path
        )
        slot.move_to(ActorState.BUSY)
        self._view.update(job)

    def _on_event(self, slot: _Slot) -> None:
        record = self._by_id[slot.job or ""]
        try:
            event = ray.get(next(slot.waiting_on))
        except (RayError, StopIteration) as exc:
            self._on_actor_died(slot, record, exc)
            return
        job = record.job
        if isinstance(event, Progress):
            apply_progress(job, event, slot.throughput)
            self._view.update(job)
            if self._observer is not None and slot.pid is not None:
                self._observer(job, slot.pid)
            return
        slot.job, slot.waiting_on = None, None
        slot.move_to(ActorState.IDLE)
        if isinstance(event, Result):
            job.transcript = event.transcript
            job.audio_seconds = event.stats.get("audio_seconds", job.audio_seconds)
            job.percent, job.eta_seconds = 100.0, 0.0
            slot.files += 1
            self._finish(record, JobState.DONE, None)
            slot.throughput.add(job.audio_seconds or 0, time.time() - (job.started_at or 0))
        elif isinstance(event, Error):
            self._finish(record, JobState.FAILED, event)

    def _on_actor_died(self, slot: _Slot, record: FileRecord, exc: BaseException) -> None:
        job = record.job
        why = f"actor {slot.index} (pid {slot.pid} on {slot.node}) died: {type(exc).__name__}"
        record.retries.append(why)
        record.avoid.add(slot.index)
        slot.deaths += 1
        slot.job = None
        # Ray is restarting it (or it is gone for good): its next hello says which.
        slot.waiting_on = slot.actor.hello.remote()
        slot.move_to(ActorState.STARTING)
        if len(record.retries) < MAX_CRASHES:
            job.move_to(JobState.QUEUED)
            job.reset_attempt()
            self._view.update(job)
            self._view.message(f"retry      {record.shown}: {why}")
        else:
            message = f"the actors running it died {len(record.retries)} times ({why})"
            self._finish(record, JobState.FAILED, Error(job.id, ErrorCode.WORKER_CRASHED, message))

    def _finish(self, record: FileRecord, state: JobState, error: Error | None) -> None:
        job = record.job
        job.move_to(state)
        job.finished_at = time.time()
        if error is not None:
            job.error_code, job.error_message, job.error_detail = (
                error.code,
                error.message,
                error.detail,
            )
        self._view.update(job)
        if state is JobState.FAILED:
            self._view.message(f"failed     {record.shown}: {record.reason()}")
        elif state is JobState.DONE:
            self._write(record)

    def _write(self, record: FileRecord) -> None:
        job = record.job
        try:
            base = self._plan.outputs[Path(job.path)]
            written = write_outputs(job, base, self._plan.formats)
        except (OSError, ValueError) as exc:
            record.write_error = f"could not write output: {exc}"
            self._view.message(f"failed     {record.shown}: {record.write_error}")
            return
        finally:
            job.transcript = None  # written: a long batch need not hold every transcript
        record.outputs = [str(p) for p in written]
        self._view.message(f"done       {record.shown} -> {', '.join(record.outputs)}")

    def _fail_queued(self, why: Error) -> None:
        for record in self._records:
            if record.job.state is JobState.QUEUED:
                self._finish(record, JobState.FAILED, why)

    def _no_actor_reason(self) -> Error:
        failures = [s.failure for s in self._slots if s.failure is not None]
        text = "; ".join(sorted({f.message for f in failures})) or "every actor is gone"
        code = failures[0].code if failures else ErrorCode.WORKER_CRASHED
        return Error(None, code, f"no actor left: {text}")

    def _cancel_unfinished(self) -> None:
        for record in self._records:
            job = record.job
            if not job.state.finished:
                job.move_to(JobState.CANCELLED)
                job.finished_at = time.time()
                self._view.update(job)


def _absolute_paths(args: list[str]) -> list[str]:
    """Model folders as absolute paths: an actor's working folder is not the driver's."""
    return [
        str(Path(a).resolve()) if not a.startswith("-") and Path(a).exists() else a for a in args
    ]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[list[int]]:
    """Ctrl-C and SIGTERM end the run: KeyboardInterrupt carrying the signal number, and the
    number kept in the yielded list. The handler runs wherever the main thread is, Ray's own
    code included, and an exception raised there can be lost (a CI run went on to the end
    after one Ctrl-C); the loop checks the list too, so the signal still ends the run."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt(signum)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)
