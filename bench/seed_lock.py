"""Child process: the seed's approach, one AutoModel shared by two threads behind a lock.

    python -m bench.seed_lock --models DIR --threads K [--warmup WAV] FILE...

As the seed app did it: the model is built (and its torch threads set) on the main thread,
and each of two helper threads takes the next file, decodes it, and calls `generate` while
holding the lock. Prints one JSON line like bench.pool_run.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
from typing import Any

from bench.common import cpu_seconds, emit

HELPER_THREADS = 2


def main(argv: list[str] | None = None) -> int:
    """Load once, warm up on a helper thread, then time the files on two helper threads."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    import torch
    from funasr import AutoModel

    from engine.audio import decode_audio
    from engine.backend import Backend
    from engine.model_set import ModelSet
    from engine.protocol import JobOptions

    torch.set_num_threads(args.threads)
    models = ModelSet.from_dir(args.models)
    model = AutoModel(**Backend.automodel_kwargs(models, args.threads, "cpu"))
    options = Backend.generate_kwargs(JobOptions())
    lock = threading.Lock()
    jobs: list[dict[str, Any]] = []
    helper_threads: list[int] = []

    def transcribe(path: str, origin: float) -> dict[str, Any]:
        began = time.time()
        audio = decode_audio(path)
        with lock:
            helper_threads.append(torch.get_num_threads())
            model.generate(input=audio, **options)
        return {
            "path": path,
            "audio_seconds": audio.size / 16000,
            "start": round(began - origin, 3),
            "wall": round(time.time() - began, 3),
        }

    if args.warmup:
        warm = threading.Thread(target=transcribe, args=(args.warmup, time.time()))
        warm.start()
        warm.join()
    todo: queue.Queue[str] = queue.Queue()
    for path in args.files:
        todo.put(path)
    started = time.time()

    def helper() -> None:
        while True:
            try:
                path = todo.get_nowait()
            except queue.Empty:
                return
            jobs.append(transcribe(path, started))

    cpu_before = cpu_seconds(os.getpid())
    threads = [threading.Thread(target=helper) for _ in range(HELPER_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.time() - started
    emit(
        {
            "wall": wall,
            "jobs": jobs,
            "workers": 1,
            "threads": args.threads,
            "worker_cpu_seconds": cpu_seconds(os.getpid()) - cpu_before,
            "torch_threads_in_helper": sorted(set(helper_threads)),
        }
    )
    sys.stdout.flush()
    os._exit(0)  # skip torch's slow interpreter teardown


if __name__ == "__main__":
    sys.exit(main())
