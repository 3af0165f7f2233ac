"""A protocol-speaking stand-in for the worker (no models), for pool behaviour the real one
cannot be made to show on demand: ignoring a cancel, leaving a child process behind, dying
right after `hello`, hanging while "loading", speaking another protocol version.

    python fake_worker.py [--steps N] [--step-ms MS] [--ignore-cancel] [--spawn-child PIDFILE]
        [--pidlog FILE] [--exit-after-hello] [--hang-before-hello] [--hello-version V]
        [--fail-load] [--batches N]

A file run as batches (`plan`, `batch`, `assemble`) has `--batches` batches of `--steps`
steps each; a batch is "saved" as an empty file `batch-N` in the command's folder, and a
plan reports those already there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", ".."))

from engine.protocol import (
    Assemble,
    BatchDone,
    Cancel,
    Error,
    ErrorCode,
    Hello,
    JobCommand,
    LineReader,
    Plan,
    Planned,
    Progress,
    Result,
    RunBatch,
    Shutdown,
    Stage,
    Transcribe,
    encode,
    to_dict,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--step-ms", type=int, default=20)
    parser.add_argument("--ignore-cancel", action="store_true")
    parser.add_argument("--spawn-child", metavar="PIDFILE")
    parser.add_argument("--pidlog", metavar="FILE", help="append our pid here when we start")
    parser.add_argument("--exit-after-hello", action="store_true")
    parser.add_argument("--hang-before-hello", action="store_true")
    parser.add_argument("--hello-version", type=int, default=None)
    parser.add_argument("--fail-load", action="store_true", help="model_load_failed, exit 3")
    parser.add_argument("--batches", type=int, default=3, help="batches of a file run as parts")
    args = parser.parse_args()
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    lock = threading.Lock()

    def send(message: object) -> None:
        with lock:
            out.write(encode(message))  # type: ignore[arg-type]

    if args.pidlog:
        with open(args.pidlog, "a") as f:
            f.write(f"{os.getpid()}\n")
    if args.spawn_child:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        with open(args.spawn_child, "w") as f:
            f.write(str(child.pid))
    if args.hang_before_hello:
        time.sleep(600)
    if args.fail_load:
        send(Error(None, ErrorCode.MODEL_LOAD_FAILED, "could not load models: fake"))
        time.sleep(0.3)  # like a real worker, it takes a moment to exit after saying so
        return 3
    hello = Hello("fake", os.getpid(), "cpu", 1, {"asr": None}, 0.0)
    if args.hello_version is not None:
        body = {**to_dict(hello), "v": args.hello_version}
        with lock:
            out.write(json.dumps(body).encode() + b"\n")
        time.sleep(600)  # a worker of another version would wait for commands we cannot send
    send(hello)
    if args.exit_after_hello:
        return 1
    cancelled: set[str] = set()
    stopping = threading.Event()
    jobs: list[JobCommand | None] = []
    ready = threading.Condition()

    def read() -> None:
        reader = LineReader()
        for line in sys.stdin.buffer:
            for message in reader.feed(line):
                with ready:
                    if isinstance(message, Transcribe | Plan | RunBatch | Assemble):
                        jobs.append(message)
                    elif isinstance(message, Cancel) and not args.ignore_cancel:
                        cancelled.add(message.job)
                    elif isinstance(message, Shutdown):
                        stopping.set()
                        jobs.append(None)
                    ready.notify()
        with ready:
            stopping.set()
            jobs.append(None)
            ready.notify()

    threading.Thread(target=read, daemon=True).start()
    while True:
        with ready:
            ready.wait_for(lambda: bool(jobs))
            job = jobs.pop(0)
        if job is None:
            return 0
        send(run(job, args, cancelled, stopping, send))


def run(job: JobCommand, args: argparse.Namespace, cancelled: set[str], stopping, send) -> object:  # type: ignore[no-untyped-def]
    if isinstance(job, Plan):
        os.makedirs(job.folder, exist_ok=True)
        done = [i for i in range(args.batches) if os.path.exists(f"{job.folder}/batch-{i}")]
        return Planned(job.job, args.steps * 1000, [args.steps * 1000] * args.batches, done)
    total_ms = args.steps * 1000
    send(Progress(job.job, Stage.DECODE, 1, 1, total_ms, total_ms))
    for step in range(args.steps):
        if job.job in cancelled:
            return Error(job.job, ErrorCode.CANCELLED, "cancelled")
        if stopping.is_set() and not args.ignore_cancel:
            return Error(job.job, ErrorCode.STOPPED, "stopped")
        time.sleep(args.step_ms / 1000)
        send(Progress(job.job, Stage.ASR, step + 1, args.steps, (step + 1) * 1000, total_ms))
    if isinstance(job, RunBatch):
        open(f"{job.folder}/batch-{job.index}", "w").close()
        return BatchDone(job.job, job.index, total_ms)
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
