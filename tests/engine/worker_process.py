"""A real worker child process for tests, driven over its pipes with plain subprocess."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from engine.protocol import Error, LineReader, Message, Result, encode


class WorkerProcess:
    """`python -m engine` with a thread collecting its events (and any bad lines)."""

    def __init__(
        self, *args: str, stderr_path: Path | None = None, launcher: list[str] | None = None
    ) -> None:
        self.stderr_file: IO[bytes] | int = (
            open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL  # noqa: SIM115
        )
        self.process = subprocess.Popen(
            [*(launcher or [sys.executable, "-m", "engine"]), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr_file,
        )
        self.events: queue.Queue[Message | None] = queue.Queue()
        self.bad_lines: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        reader = LineReader(lambda line, why: self.bad_lines.append(line))
        assert self.process.stdout is not None
        for line in self.process.stdout:
            for message in reader.feed(line):
                self.events.put(message)
        self.events.put(None)

    def send(self, message: Message) -> None:
        """Write one command line to the worker's stdin."""
        assert self.process.stdin is not None
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()

    def next_event(self, timeout: float = 60) -> Message | None:
        """The next event, or None once stdout closed."""
        return self.events.get(timeout=timeout)

    def until_end(self, job: str, timeout: float = 120) -> list[Message]:
        """Events up to and including the job's result or error."""
        seen: list[Message] = []
        while True:
            event = self.next_event(timeout)
            if event is None:
                raise AssertionError(f"worker exited before job {job} ended: {seen[-3:]}")
            seen.append(event)
            if isinstance(event, Result | Error) and getattr(event, "job", None) == job:
                return seen

    def close(self) -> int:
        """Close stdin (the worker exits on EOF) and return its exit status."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            return self.process.wait(timeout=30)
        finally:
            if isinstance(self.stderr_file, int) is False:
                self.stderr_file.close()  # type: ignore[union-attr]
