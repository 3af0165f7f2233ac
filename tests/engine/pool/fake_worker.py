"""A protocol-speaking stand-in for the worker (no models), for pool behaviour the real one
cannot be made to show on demand: ignoring a cancel, leaving a child process behind.

    python fake_worker.py [--steps N] [--step-ms MS] [--ignore-cancel] [--spawn-child PIDFILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", ".."))

from engine.protocol import (
    Cancel,
    Error,
    ErrorCode,
    Hello,
    LineReader,
    Progress,
    Result,
    Shutdown,
    Stage,
    Transcribe,
    encode,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--step-ms", type=int, default=20)
    parser.add_argument("--ignore-cancel", action="store_true")
    parser.add_argument("--spawn-child", metavar="PIDFILE")
    args = parser.parse_args()
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    lock = threading.Lock()

    def send(message: object) -> None:
        with lock:
            out.write(encode(message))  # type: ignore[arg-type]

    if args.spawn_child:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        with open(args.spawn_child, "w") as f:
            f.write(str(child.pid))
    send(Hello("fake", os.getpid(), "cpu", 1, {"asr": None}, 0.0))
    cancelled: set[str] = set()
    jobs: list[Transcribe | None] = []
    ready = threading.Condition()

    def read() -> None:
        reader = LineReader()
        for line in sys.stdin.buffer:
            for message in reader.feed(line):
                with ready:
                    if isinstance(message, Transcribe):
                        jobs.append(message)
                    elif isinstance(message, Cancel) and not args.ignore_cancel:
                        cancelled.add(message.job)
                    elif isinstance(message, Shutdown):
                        jobs.append(None)
                    ready.notify()
        with ready:
            jobs.append(None)
            ready.notify()

    threading.Thread(target=read, daemon=True).start()
    while True:
        with ready:
            ready.wait_for(lambda: bool(jobs))
            job = jobs.pop(0)
        if job is None:
            return 0
        send(run(job, args, cancelled, send))


def run(job: Transcribe, args: argparse.Namespace, cancelled: set[str], send) -> object:  # type: ignore[no-untyped-def]
    total_ms = args.steps * 1000
    send(Progress(job.job, Stage.DECODE, 1, 1, total_ms, total_ms))
    for step in range(args.steps):
        if job.job in cancelled:
            return Error(job.job, ErrorCode.CANCELLED, "cancelled")
        time.sleep(args.step_ms / 1000)
        send(Progress(job.job, Stage.ASR, step + 1, args.steps, (step + 1) * 1000, total_ms))
    sentence = {"start": 0, "end": total_ms, "text": job.path, "speaker": 0, "tokens": []}
    transcript = {
        "version": 1,
        "source": {"path": job.path, "duration_ms": total_ms},
        "models": {},
        "sentences": [sentence],
    }
    return Result(job.job, transcript, {"audio_seconds": total_ms / 1000})


if __name__ == "__main__":
    sys.exit(main())
