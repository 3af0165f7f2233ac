"""Does the installed Qt binding drain references to None/True? Run as a script.

PySide6/shiboken6 6.12.0 returned None from void methods and True from `Signal.emit()`
without taking a reference; on CPython < 3.12 (no immortal singletons) a few thousand calls
abort the interpreter. This probe makes those calls and prints what it measured as one JSON
line; it exits 0 only when no reference was lost.
"""

from __future__ import annotations

import json
import sys

ROUNDS = 1000


def main() -> int:
    import PySide6
    from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

    class Probe(QObject):
        fired = Signal()

    app = QCoreApplication.instance() or QCoreApplication([])
    probe, timer = Probe(), QTimer()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(ROUNDS):
        timer.stop()
        probe.fired.emit()
    report = {
        "pyside6": PySide6.__version__,
        "python": sys.version.split()[0],
        "rounds": ROUNDS,
        # A healthy binding leaves these near 0; a draining one loses about one per call.
        "none_lost": none_before - sys.getrefcount(None),
        "true_lost": true_before - sys.getrefcount(True),
    }
    print(json.dumps(report), flush=True)
    del app
    drained = report["none_lost"] >= ROUNDS // 2 or report["true_lost"] >= ROUNDS // 2
    return 1 if drained else 0


if __name__ == "__main__":
    sys.exit(main())
