"""A worker child process driven over its pipes, with timestamps on every event."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import ROOT, child_env
from engine.protocol import Error, Hello, LineReader, Message, Result, Shutdown, encode


class Worker:
    """`python -m engine --models DIR --threads K`; `spawned` is the wall clock at spawn."""

    def __init__(self, models: Path, threads: int = 1, **env: str) -> None:
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine", "--models", str(models), "--threads", str(threads)],
            cwd=ROOT,
            env=child_env(**env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.pid = self.process.pid
        self.events: queue.Queue[tuple[float, Message | None]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        reader = LineReader()
        assert self.process.stdout is not None
        for line in self.process.stdout:
            for message in reader.feed(line):
                self.events.put((time.perf_counter(), message))
        self.events.put((time.perf_counter(), None))

    def send(self, message: Message) -> float:
        """Write one command; returns when it was written."""
        assert self.process.stdin is not None
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()
        return time.perf_counter()

    def next_event(self, timeout: float = 300) -> tuple[float, Message]:
        """(arrival time, event); raises if the worker exits."""
        at, event = self.events.get(timeout=timeout)
        if event is None:
            raise RuntimeError(f"worker {self.pid} exited with {self.process.wait()}")
        return at, event

    def wait_hello(self, timeout: float = 300) -> tuple[float, Hello]:
        """Seconds from spawn to hello, and the hello."""
        while True:
            at, event = self.next_event(timeout)
            if isinstance(event, Hello):
                return at - self.spawned, event
            if isinstance(event, Error):
                raise RuntimeError(f"worker failed to load: {event.message}")

    def until_end(self, job: str, timeout: float = 600) -> tuple[float, Result | Error]:
        """Arrival time and the end event of `job`."""
        while True:
            at, event = self.next_event(timeout)
            if isinstance(event, Result | Error) and event.job == job:
                return at, event

    def close(self) -> None:
        """Ask it to exit; kill it if it lingers."""
        try:
            self.send(Shutdown())
            self.process.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
