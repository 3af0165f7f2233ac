"""Saves transcripts off the GUI thread: at most `delay_ms` after an edit, newest wins.

The first edit of a quiet transcript starts the timer and later edits ride along, so
continuous typing is still on disk within `delay_ms` (a kill loses at most that much).
The GUI thread only takes a snapshot (a list copy); serialising and the atomic write run on
one background thread, in order. Each write carries a generation: a write older than the
newest one asked for is skipped, so an old version never lands after a new one.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from engine.speakers.embeddings import take_from_result
from engine.transcript import Sentence, Transcript, sentence_json
from gui.session_store import SessionStore

log = logging.getLogger(__name__)
SAVE_DELAY_MS = 1000

_Task = Callable[[], None]


class SentenceCache:
    """The JSON of each sentence last written, reused while the sentence is unchanged.

    Sentences are immutable, so identity says "unchanged": a save after one edit encodes one
    sentence. Used on the writer thread only.
    """

    def __init__(self) -> None:
        self._texts: dict[int, tuple[Sentence, str]] = {}
        self._used: dict[int, tuple[Sentence, str]] = {}

    def __call__(self, sentence: Sentence) -> str:
        entry = self._texts.get(id(sentence))
        if entry is None or entry[0] is not sentence:
            entry = (sentence, sentence_json(sentence))
        self._used[id(sentence)] = entry
        return entry[1]

    def done(self) -> None:
        """Keep only what the last save used (the entries hold their sentences alive)."""
        self._texts, self._used = self._used, {}


class _Bridge(QObject):
    """Carries the thread's news to the GUI thread.

    It has no parent, so Qt never deletes it under a running thread, even when the writer's
    own C++ object goes first (a window closed at exit); news for a deleted writer is dropped.
    """

    adopted = Signal(str, int, object)
    written = Signal(str, int)


class TranscriptWriter(QObject):
    """One background thread writing the session's transcript files."""

    adopted = Signal(str, int, object)  # job id, generation, Transcript (built off-thread)
    written = Signal(str, int)  # job id, generation on disk

    def __init__(
        self, store: SessionStore, delay_ms: int = SAVE_DELAY_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._dirty: dict[str, Transcript] = {}
        self._generation: dict[str, int] = {}
        self._caches: dict[str, SentenceCache] = {}  # writer thread only
        self._tasks: queue.Queue[_Task | None] = queue.Queue()
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.write_dirty)
        self._bridge = _Bridge()
        self._bridge.adopted.connect(self.adopted)
        self._bridge.written.connect(self.written)
        # The thread holds this Python object, and so the parentless bridge, to the end.
        self._thread = threading.Thread(target=self._run, name="transcript-writer", daemon=True)
        self._thread.start()

    def schedule(self, job_id: str, transcript: Transcript) -> None:
        """Save `transcript` within the delay (edits in between are saved with it)."""
        self._dirty[job_id] = transcript
        if not self._timer.isActive():
            self._timer.start()

    def write_dirty(self) -> None:
        """Hand every edited transcript to the thread now."""
        self._timer.stop()
        dirty, self._dirty = self._dirty, {}
        for job_id, transcript in dirty.items():
            generation = self._next(job_id)
            snapshot = transcript.snapshot()
            self._tasks.put(partial(self._write, job_id, generation, snapshot))

    def adopt(self, job_id: str, result: dict[str, Any]) -> None:
        """Build the Transcript of a worker result and save it, off the GUI thread.

        `adopted` brings it back once it is on disk; an unreadable result is logged.
        """
        generation = self._next(job_id)
        self._tasks.put(partial(self._adopt, job_id, generation, result))

    def forget(self, job_id: str) -> None:
        """Drop pending saves of `job_id` and delete its file (after any earlier write)."""
        self._dirty.pop(job_id, None)
        generation = self._next(job_id)
        self._tasks.put(partial(self._delete, job_id, generation))

    def flush(self) -> None:
        """Write everything edited and wait until it is on disk (close and quit)."""
        self.write_dirty()
        self._tasks.join()

    def is_current(self, job_id: str, generation: int) -> bool:
        """True when nothing was asked for `job_id` after `generation`."""
        return not self._stale(job_id, generation)

    def pending(self) -> bool:
        """True while an edit waits for its save."""
        return bool(self._dirty) or self._tasks.unfinished_tasks > 0

    def close(self) -> None:
        """Flush, then end the thread."""
        self.flush()
        self._tasks.put(None)
        self._thread.join()

    def _next(self, job_id: str) -> int:
        self._generation[job_id] = self._generation.get(job_id, 0) + 1
        return self._generation[job_id]

    def _stale(self, job_id: str, generation: int) -> bool:
        return generation < self._generation.get(job_id, 0)

    # ---- on the writer thread ------------------------------------------------------------

    def _run(self) -> None:
        tasks = self._tasks
        while True:
            task = tasks.get()
            try:
                if task is None:
                    return
                task()
            except Exception:  # one failed write must not end the thread; it is logged
                log.exception("saving a transcript failed")
            finally:
                tasks.task_done()

    def _write(self, job_id: str, generation: int, transcript: Transcript) -> None:
        if self._stale(job_id, generation):
            return  # a newer version is queued behind this one
        cache = self._caches.setdefault(job_id, SentenceCache())
        try:
            self._store.save_transcript(job_id, transcript, cache)
        finally:
            cache.done()
        self._bridge.written.emit(job_id, generation)

    def _adopt(self, job_id: str, generation: int, result: dict[str, Any]) -> None:
        # The speaker embeddings go to a sidecar beside the transcript (re-cluster, voices).
        embeddings = take_from_result(result)
        try:
            transcript = Transcript.from_worker_result(result)
        except ValueError:
            log.exception("job %s: unreadable transcript from the worker", job_id)
            return
        if self._stale(job_id, generation):
            return  # removed or retried meanwhile
        if embeddings is not None:
            self._store.save_speaker_embeddings(job_id, embeddings)
        cache = self._caches[job_id] = SentenceCache()
        self._store.save_transcript(job_id, transcript, cache)
        cache.done()
        self._bridge.adopted.emit(job_id, generation, transcript)

    def _delete(self, job_id: str, generation: int) -> None:
        self._caches.pop(job_id, None)
        if not self._stale(job_id, generation):
            self._store.forget(job_id)
