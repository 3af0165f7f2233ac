"""The Ray actor: one model set, loaded once, running one file at a time like a local worker.

`run` is a Ray generator: it streams the job's progress events and ends with the job's one
`Result` or `Error`, the same messages a local worker writes, made by the same code
(engine.job_runner). The model runs on a helper thread so that the generator can yield
progress while it works; with one thread per actor (the default) that costs nothing, with
more, torch's intra-op threads may not all engage there (see engine.worker).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import ray

from engine import __version__
from engine.job_runner import failure, load_backend, run_job
from engine.protocol import Error, ErrorCode, Hello, Message, Progress, Result, Transcribe
from engine.worker import go_offline, limit_threads, parse_args

if TYPE_CHECKING:
    from engine.backend import Backend

# Ray restarts a dead actor (its models load again) at most this often; the driver moves
# the file it was running to another actor.
MAX_ACTOR_RESTARTS = 2
_PROGRESS_INTERVAL_S = 0.25  # at most this often per stage, to keep Ray's traffic small


class _NeverCancelled:
    """An actor's job is never cancelled from inside: the driver stops a run by killing it."""

    def is_cancelled(self, job: str) -> bool:
        return False

    def end_code(self, job: str) -> ErrorCode:
        return ErrorCode.STOPPED


@ray.remote(max_restarts=MAX_ACTOR_RESTARTS, max_task_retries=0)
class Transcriber:
    """A FunScribe worker as a Ray actor."""

    def __init__(self, model_args: list[str], threads: int, device: str) -> None:
        limit_threads(threads)
        go_offline()
        self._backend: Backend | None = None
        self._load_error = ""
        try:
            args = parse_args([*model_args, "--threads", str(threads), "--device", device])
            self._backend = load_backend(args, threads)
        except Exception as exc:  # reported by hello(): a restart would fail the same way
            self._load_error = f"could not load models: {exc}"
        self._threads = threads

    def hello(self) -> tuple[Hello | Error, str]:
        """The worker's `hello` (or its model-load error) and this node's address."""
        node = ray.util.get_node_ip_address()
        if self._backend is None:
            return Error(None, ErrorCode.MODEL_LOAD_FAILED, self._load_error), node
        from engine.backend import device_name

        hello = Hello(
            engine_version=__version__,
            pid=os.getpid(),
            device=device_name(self._backend.device),
            threads=self._threads,
            models=self._backend.models.as_dict(),
            load_seconds=round(self._backend.load_seconds, 3),
        )
        return hello, node

    def run(
        self, job: Transcribe, audio: np.ndarray | None, decode_path: str | None
    ) -> Iterator[Message]:
        """Progress events, then the job's Result or Error (decoded here when `audio` is None)."""
        events: queue.Queue[Message] = queue.Queue()
        worker = threading.Thread(
            target=self._work, args=(job, audio, decode_path, events), daemon=True
        )
        worker.start()
        last: tuple[object, float] = (None, 0.0)
        while True:
            event = events.get()
            if isinstance(event, Result | Error):
                yield event
                return
            if isinstance(event, Progress):
                now = time.monotonic()
                if event.stage != last[0] or now - last[1] >= _PROGRESS_INTERVAL_S:
                    last = (event.stage, now)
                    yield event

    def _work(
        self,
        job: Transcribe,
        audio: np.ndarray | None,
        decode_path: str | None,
        events: queue.Queue[Message],
    ) -> None:
        assert self._backend is not None
        try:
            began = time.perf_counter()
            if audio is None and decode_path is not None:
                from engine.audio import AudioError, decode_audio

                try:
                    audio = decode_audio(decode_path)
                except AudioError as exc:
                    events.put(Error(job=job.job, code=exc.code, message=str(exc)))
                    return
            if audio is not None and not audio.flags.writeable:
                audio = np.array(audio)  # Ray hands over a read-only view of its object store
            decoded = time.perf_counter() - began
            end = run_job(self._backend, job, _NeverCancelled(), events.put, audio)
            if isinstance(end, Result):
                end.stats["decode_seconds"] = round(decoded, 4)  # here, not in run_job
            events.put(end)
        except BaseException as exc:  # the generator must always get its end message
            events.put(failure(job.job, exc))
