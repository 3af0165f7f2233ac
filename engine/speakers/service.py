"""`funscribe recluster --serve`: re-cluster requests as JSON lines, with FunASR kept loaded.

Importing torch and FunASR takes seconds; a re-cluster itself takes well under one. The GUI
starts this process once and sends one request per line:

    {"id": "r1", "transcript": PATH, "speakers": 3 | null, "out": DIR}

and reads one answer per request:

    {"id": "r1", "ok": true, "speakers": 3, "files": [PATH, ...]}
    {"id": "r1", "ok": false, "message": "why, for the user"}

It first writes `{"ready": true}` once loaded. End of stdin ends it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any


def serve(stdin: IO[str], stdout: IO[str]) -> int:
    """Answer requests until end of input; returns the exit status."""
    import importlib

    # Load what a re-cluster needs before saying ready, so the first answer is quick too.
    for module in ("funasr.models.campplus.cluster_backend", "funasr.models.campplus.utils"):
        importlib.import_module(module)

    _send(stdout, {"ready": True})
    for line in stdin:
        if line.strip():
            _send(stdout, answer(line))
    return 0


def answer(line: str) -> dict[str, Any]:
    """The answer to one request line."""
    from engine.cli import UsageError
    from engine.speakers.cli import CannotRecluster, recluster_file

    ident = None
    try:
        request = json.loads(line)
        ident = request.get("id")
        speakers = request.get("speakers")
        if speakers is not None and (not isinstance(speakers, int) or speakers < 1):
            raise UsageError(f"bad speaker count {speakers!r}")
        out = request.get("out")
        written, count = recluster_file(
            Path(request["transcript"]), speakers, Path(out) if out else None
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return {"id": ident, "ok": False, "message": f"bad request: {exc}"}
    except (UsageError, CannotRecluster) as exc:
        return {"id": ident, "ok": False, "message": str(exc)}
    return {"id": ident, "ok": True, "speakers": count, "files": [str(p) for p in written]}


def _send(stdout: IO[str], message: dict[str, Any]) -> None:
    stdout.write(json.dumps(message) + "\n")
    stdout.flush()
