"""Throughput of the pool on the same files with different worker counts (not a test).

    python tests/engine/pool/throughput.py MODELS_DIR [CLIP_DIR_OR_FILES...]

Without clips, twelve variants of tests/data/speech.wav are made in a temp folder. Prints
audio seconds per wall second, from the first submit to the last result (warm workers: the
clock starts once every worker has said hello).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from engine.pool.pool import PoolConfig, WorkerPool

DATA = Path(__file__).resolve().parents[2] / "data"


def run(models: str, clips: list[Path], workers: int, threads: int) -> tuple[float, float]:
    """(audio seconds, wall seconds) for `clips` on warm workers."""
    pool = WorkerPool(PoolConfig(models_dir=models, workers=workers, threads=threads))
    loop = QEventLoop()
    pool.start()
    while pool.ready_count < workers:
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    pool.idle.connect(loop.quit)
    started = time.perf_counter()
    ids = [pool.submit(str(c)) for c in clips]
    loop.exec()
    wall = time.perf_counter() - started
    audio = sum(pool.job(i).audio_seconds or 0 for i in ids)
    failed = [pool.job(i).error_message for i in ids if pool.job(i).transcript is None]
    pool.shutdown()
    if failed:
        print("failed:", failed)
    return audio, wall


def main() -> int:
    app = QCoreApplication([])  # noqa: F841
    models = sys.argv[1]
    clips = [Path(p) for p in sys.argv[2:]]
    if not clips:
        sys.path.insert(0, str(Path(__file__).parent))
        from conftest import write_variant

        folder = Path(tempfile.mkdtemp())
        speech = DATA / "speech.wav"
        clips = [write_variant(speech, folder / f"c{i}.wav", i * 100) for i in range(12)]
    for workers, threads in ((1, 1), (1, 2), (2, 1)):
        audio, wall = run(models, clips, workers, threads)
        print(
            f"{workers} worker(s) x {threads} thread(s): {audio:.1f} s audio in {wall:.2f} s"
            f" = {audio / wall:.1f} audio s per wall s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
