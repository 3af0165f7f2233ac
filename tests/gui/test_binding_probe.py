"""The Qt binding keeps CPython's reference counts intact (PySide6 6.12.0 did not)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("binding_probe.py")


def test_the_installed_qt_binding_does_not_drain_references_to_none_or_true() -> None:
    # In a subprocess: a draining binding can abort the interpreter, which must fail this
    # test with the version named rather than take the whole suite down.
    run = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True, timeout=120)
    lines = run.stdout.strip().splitlines()
    report = json.loads(lines[-1]) if lines else {}
    version = report.get("pyside6") or _installed_pyside6()
    assert run.returncode == 0, (
        f"PySide6 {version} drains references to None/True on Python "
        f"{sys.version.split()[0]} (exit {run.returncode}: {report or run.stderr[-500:]}); "
        "exclude this release in pyproject.toml"
    )


def _installed_pyside6() -> str:
    from importlib.metadata import version

    return version("PySide6-Essentials")
