"""The process table, without psutil: a worker's children, memory, signals, and how it ended."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

_PROC = Path("/proc")
NOT_STARTED = -256  # the exit code we give a process that never ran (outside any real status)
_ROUTINE_LOG = re.compile(r"\[(DEBUG|INFO)\]")


def children(pid: int) -> list[int]:
    """Direct children of `pid` (Linux /proc; empty where unavailable)."""
    found: list[int] = []
    try:
        tasks = list((_PROC / str(pid) / "task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """Children, grandchildren and so on of `pid`."""
    out: list[int] = []
    todo = children(pid)
    while todo:
        child = todo.pop()
        if child not in out:
            out.append(child)
            todo += children(child)
    return out


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its descendants (0 where /proc is unavailable)."""
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    total = 0
    for each in [pid, *descendants(pid)]:
        try:
            total += int((_PROC / str(each) / "statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    return total


def signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send `sig` to every process in group `pgid`; a group already gone is fine."""
    if not hasattr(os, "killpg"):
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def signal_descendants(pid: int, sig: signal.Signals) -> None:
    """Send `sig` to the descendants of `pid` (for workers not in a group of their own)."""
    for child in descendants(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, sig)


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        state = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        if not _PROC.is_dir():
            try:
                os.kill(pid, 0)
            except (ProcessLookupError, PermissionError):
                return False
            return True
        return False
    return state != "Z"


def group_members(pgid: int) -> list[int]:
    """Live processes whose process group is `pgid` (Linux /proc)."""
    members: list[int] = []
    for entry in _PROC.iterdir() if _PROC.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def last_message(stderr: str) -> str:
    """The last stderr line that is not a routine log record (funasr logs a lot at INFO)."""
    for line in reversed(stderr.splitlines()):
        if line.strip() and not _ROUTINE_LOG.search(line):
            return line.strip()
    return ""


def describe_exit(exit_code: int) -> str:
    """'exit code 3', or 'exit code -9, SIGKILL' for a process killed by a signal."""
    if exit_code < 0 and exit_code != NOT_STARTED:
        try:
            return f"exit code {exit_code}, {signal.Signals(-exit_code).name}"
        except ValueError:
            pass
    return f"exit code {exit_code}"
