"""`python -m engine`: run the engine worker (see engine/worker.py)."""

import os
import sys

from engine.worker import main

if __name__ == "__main__":
    status = main()
    # Skip interpreter teardown: collecting the torch/funasr module graph takes seconds, and a
    # worker has nothing left to clean up (every protocol line was flushed when written).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
