"""`python -m engine`: run the engine worker (see engine/worker.py)."""

import sys

from engine.worker import main

if __name__ == "__main__":
    sys.exit(main())
