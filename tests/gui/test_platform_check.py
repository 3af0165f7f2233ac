"""Without the X11 libraries Qt needs, the app names the missing one instead of aborting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gui.platform_check import XCB_PLUGIN, debian_package, missing_library

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's")

NEEDED = b"libxcb-icccm.so.4"
ABSENT = b"libxcb-icccq.so.4"  # same length, so the plugin's string table stays valid


def real_xcb_plugin() -> Path:
    from PySide6.QtCore import QLibraryInfo

    plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    if not (plugin / XCB_PLUGIN).is_file():
        pytest.skip("this PySide6 has no xcb plugin")
    return plugin / XCB_PLUGIN


def start_app(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in env_changes}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "gui.entry", "--quit-after", "100"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libEGL.so.1", "libegl1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
    ],
)
def test_a_library_soname_maps_to_its_debian_package(soname: str, package: str) -> None:
    assert debian_package(soname) == package


def test_the_app_names_a_missing_xcb_library_and_its_package_instead_of_aborting(
    tmp_path: Path,
) -> None:
    # A copy of Qt's own xcb plugin that needs a library no system has: what a desktop
    # without libxcb-icccm4 looks like to the dynamic loader.
    plugin = real_xcb_plugin().read_bytes()
    assert NEEDED in plugin
    platforms = tmp_path / "platforms"
    platforms.mkdir()
    (platforms / XCB_PLUGIN).write_bytes(plugin.replace(NEEDED, ABSENT))
    assert missing_library(platforms / XCB_PLUGIN) == ABSENT.decode()

    run = start_app(
        {"QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms), "DISPLAY": ":0"}
    )

    assert run.returncode == 1, run.stderr[-2000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert ABSENT.decode() in lines[0]
    assert "sudo apt install libxcb-icccq4" in lines[0]
    assert "Could not load the Qt platform plugin" not in run.stderr


def test_the_app_says_there_is_no_display_when_none_is_set(tmp_path: Path) -> None:
    if missing_library(real_xcb_plugin()) is not None:
        pytest.skip("Qt's xcb libraries are not installed here (see README)")
    plugins = tmp_path / "platforms"
    shutil.copytree(real_xcb_plugin().parent, plugins)

    run = start_app(
        {
            "QT_QPA_PLATFORM": "xcb",
            "QT_QPA_PLATFORM_PLUGIN_PATH": str(plugins),
            "DISPLAY": None,
            "WAYLAND_DISPLAY": None,
        }
    )

    assert run.returncode == 1, run.stderr[-2000:]
    assert "no X display (DISPLAY is not set)" in run.stderr
