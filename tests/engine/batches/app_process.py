"""A stand-in for the app in the relaunch test: a pool running one file until killed.

    python -m tests.engine.batches.app_process MODELS_DIR CHECKPOINTS JOB_ID PATH

Prints one JSON line per part of the file that ends: [part, batch, reused, worker pids].
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCoreApplication

from engine.pool.jobs import Job
from engine.pool.pool import PoolConfig, WorkerPool
from engine.protocol import JobOptions
from tests.engine.batches.split_helpers import SPEAKERS


def main(models_dir: str, checkpoints: str, job_id: str, path: str) -> int:
    """Run the file on one worker, reporting its parts, until the process is killed."""
    app = QCoreApplication([])
    config = PoolConfig(models_dir=models_dir, workers=1, threads=1)
    pool = WorkerPool(config, checkpoints=checkpoints)

    def report(_job: str, part: str, index: int, _pid: int, reused: bool) -> None:
        print(json.dumps([part, index, reused, pool.worker_pids()]), flush=True)

    pool.partEnded.connect(report)
    pool.restore(Job(id=job_id, path=path, options=JobOptions(speakers=SPEAKERS)))
    pool.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
