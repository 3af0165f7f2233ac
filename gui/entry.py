"""The `funscribe` command: the GUI, or `transcribe`, `recluster`, `models`, `--engine` (a
worker process), `--self-test`, `--version`.

No Qt import at module level: a worker started as `funscribe --engine` never loads Qt.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch on the first argument; returns the exit status."""
    multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None or sys.stderr is None:  # frozen windowed build: no console
        sink = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
        sys.stdout = sys.stdout or sink
        sys.stderr = sys.stderr or sink
    if args[:1] == ["--engine"]:
        from engine.worker import main as worker_main

        status = worker_main(args[1:])
        # As in engine/__main__.py: interpreter teardown after torch takes seconds, for nothing.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    if args[:1] == ["transcribe"]:
        from engine.cli import main as cli_main

        return cli_main(args[1:])
    if args[:1] == ["recluster"]:
        from engine.speakers.cli import main as recluster_main

        return recluster_main(args[1:])
    if args[:1] == ["models"]:
        from engine.models.cli import main as models_main

        return models_main(args[1:])
    if args[:1] == ["--download-models"]:
        # The download process the GUI and `models download` start when frozen.
        from engine.models.download import main as download_main

        return download_main(args[1:])
    if args[:1] == ["--self-test"]:
        from engine.self_test import main as self_test_main

        return self_test_main(args[1:])
    if args[:1] == ["--version"]:
        from engine import __version__

        print(f"funscribe {__version__}")
        return 0
    from gui.app import main as gui_main

    # gui.app.main takes a whole argv (Qt reads its own options from it), program name first.
    program = sys.argv[0] if sys.argv else "funscribe"
    return int(gui_main([program, *args]) or 0)


if __name__ == "__main__":
    sys.exit(main())
