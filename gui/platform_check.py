"""Say which system library is missing before Qt's xcb plugin aborts the process.

Without the X11 libraries Qt's xcb platform plugin needs (libxcb-cursor0 and friends, not
installed by default on many Linux desktops and on servers), Qt prints "Could not load the Qt
platform plugin xcb" and aborts with a core dump. Loading the plugin ourselves first gives the
dynamic loader's own error, which names the library, so the user gets one line with the fix.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

PLUGIN_PATH_ENV = "QT_QPA_PLATFORM_PLUGIN_PATH"  # Qt's own override; honoured here too
XCB_PLUGIN = "libqxcb.so"
_MISSING = re.compile(r"(lib[\w.+-]+\.so[.\d]*): cannot open shared object file")


def platform_problem(argv: list[str]) -> str | None:
    """One line naming what keeps Qt's window system from loading, or None when nothing does."""
    if not sys.platform.startswith("linux") or _platform(argv) != "xcb":
        return None
    plugin = _xcb_plugin()
    if plugin is None:
        return None  # a build without the plugin: Qt's own message is the best we have
    missing = missing_library(plugin)
    if missing is not None:
        return (
            f"FunScribe cannot open its window: the system library {missing} is missing. "
            f"Debian/Ubuntu: sudo apt install {debian_package(missing)} "
            "(README, 'Linux system packages', lists them all for each distribution)."
        )
    if not os.environ.get("DISPLAY"):
        return (
            "FunScribe cannot open its window: no X display (DISPLAY is not set). Start it from "
            "a desktop session, or run it headless with QT_QPA_PLATFORM=offscreen."
        )
    return None


def missing_library(plugin: Path) -> str | None:
    """The first shared library `plugin` needs that the dynamic loader cannot find."""
    # Qt's xcb library first, from Qt's own folder: most X11 libraries are its needs, and a
    # plugin found through QT_QPA_PLATFORM_PLUGIN_PATH may not find Qt by its relative RUNPATH.
    for library in [*_qt_xcb_libraries(), plugin]:
        try:
            ctypes.CDLL(str(library))
        except OSError as error:
            found = _MISSING.search(str(error))
            return found.group(1) if found else None
    return None


def _qt_xcb_libraries() -> list[Path]:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    return sorted(folder.glob("libQt6XcbQpa.so.*"))[:1]


def debian_package(soname: str) -> str:
    """Debian's package name for a library soname: libxcb-icccm.so.4 -> libxcb-icccm4."""
    name, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return name.lower()
    separator = "-" if name[-1].isdigit() else ""
    return f"{name.lower()}{separator}{version}"


def _platform(argv: list[str]) -> str:
    # Qt's precedence: a -platform argument, then QT_QPA_PLATFORM, then its default.
    for flag in ("-platform", "--platform"):
        if flag in argv[:-1]:
            return argv[argv.index(flag) + 1].split(":")[0]
    from_env = os.environ.get("QT_QPA_PLATFORM", "")
    if from_env:
        return from_env.split(";")[0].split(":")[0]
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return "wayland"
    return "xcb"


def _xcb_plugin() -> Path | None:
    folders = [Path(p) for p in os.environ.get(PLUGIN_PATH_ENV, "").split(os.pathsep) if p]
    if not folders:
        from PySide6.QtCore import QLibraryInfo

        plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
        folders = [Path(plugins) / "platforms"]
    for folder in folders:
        if (folder / XCB_PLUGIN).is_file():
            return folder / XCB_PLUGIN
    return None
