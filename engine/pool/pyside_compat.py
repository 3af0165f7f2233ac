"""Keep PySide6 6.12 from crashing CPython 3.11: make None, True and False immortal.

shiboken6 6.12 returns `None` from void methods (`QTimer.stop()`, `QProcess.kill()`, …) and
`True` from `SignalInstance.emit()` without taking a reference, as if every interpreter had
CPython 3.12's immortal singletons. On 3.11 each call takes one reference away, and after a
few thousand calls (a few hundred emits) CPython aborts with "none_dealloc: deallocating
None" or "bool_dealloc". Where that is measured, this gives the three singletons a reference
count no program can drain — what CPython 3.12 does for them anyway. Imported by
`engine.pool`, so every user of the pool (GUI, CLI, tests) is covered before it emits.
"""

from __future__ import annotations

import ctypes
import sys

_PLENTY = 1 << 60  # references: more than any program can drop, far from overflowing


def _drains_references() -> bool:
    from PySide6.QtCore import QObject, QTimer, Signal

    class Probe(QObject):
        fired = Signal()

    probe, timer, rounds = Probe(), QTimer(), 16
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(rounds):
        timer.stop()
        probe.fired.emit()
    none_lost = none_before - sys.getrefcount(None)
    true_lost = true_before - sys.getrefcount(True)
    return none_lost >= rounds or true_lost >= rounds


def apply() -> bool:
    """Make None/True/False immortal if this PySide6 drains them; True when it did."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal already
    if not _drains_references():
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _PLENTY
    return True


APPLIED = apply()
