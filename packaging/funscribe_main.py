"""Frozen entry point: the GUI, the worker (`--engine`) and the CLI in one executable."""

import multiprocessing
import os
import sys


def _guard_std_streams() -> None:
    """Windowed builds start with sys.stdout/stderr = None; give them somewhere to go."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    if sys.stdout is None:
        # fd 1 may still be a pipe from the pool (the worker's protocol stream): reopen it.
        try:
            sys.stdout = os.fdopen(1, "w", buffering=1)
        except OSError:
            sys.stdout = sys.stderr


if __name__ == "__main__":
    multiprocessing.freeze_support()
    _guard_std_streams()
    from gui.entry import main

    sys.exit(main())
