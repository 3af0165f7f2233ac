"""A local stand-in for the ModelScope hub: the three HTTP endpoints the download client calls.

- `GET /api/v1/models/{owner}/{name}/repo/files?Revision=R&Recursive=True`: the file list,
  `{"Code": 200, "Data": {"Files": [{"Path", "Name", "Type", "Size", "Sha256"}]}}`.
- `GET /api/v1/models/{owner}/{name}/repo?Revision=R&FilePath=P`: one file, honouring `Range`.
- `GET /api/v1/repos/internalAccelerationInfo`: the client's cloud-region probe (404 here).

Tests point `MODELSCOPE_ENDPOINT` at it. It can slow a file down, stall it until released,
or drop the connection halfway, and it records every request.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

_REPO = re.compile(r"^/api/v1/models/(?P<owner>[^/]+)/(?P<name>[^/]+)/repo(?P<files>/files)?$")


@dataclass
class Behaviour:
    """How the server misbehaves for one file (keyed by model ID and path in the repo)."""

    drop_after: int | None = None  # send this many bytes, then close the connection
    stall_after: int | None = None  # send this many bytes, then wait for `release`
    release: threading.Event = field(default_factory=threading.Event)
    stalled: threading.Event = field(default_factory=threading.Event)


@dataclass
class Request:
    """One request the server saw."""

    path: str
    query: dict[str, str]
    range: str | None


class HubServer:
    """Serves repos {(model_id, revision): {path: bytes}} until closed."""

    def __init__(self) -> None:
        self.repos: dict[tuple[str, str], dict[str, bytes]] = {}
        self.behaviours: dict[tuple[str, str], Behaviour] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"hub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """The endpoint to put in MODELSCOPE_ENDPOINT."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add_folder(self, model_id: str, revision: str, folder: Path) -> None:
        """Publish the files under `folder` as a repo, plus a README and sample, as on the hub."""
        files = {"README.md": f"# {model_id}\n".encode(), "example/sample.wav": b"RIFF" * 256}
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
        self.repos[(model_id, revision)] = files

    def publish(self, models: dict[str, tuple[str, str]], model_dir: Path) -> None:
        """Publish model_dir/ROLE under each role's (model ID, revision)."""
        for role, (model_id, revision) in models.items():
            self.add_folder(model_id, revision, model_dir / role)

    def file_requests(self, name: str) -> list[Request]:
        """Download requests for the file `name` (any repo)."""
        with self.lock:
            return [r for r in self.requests if r.query.get("FilePath") == name]

    def close(self) -> None:
        """Stop serving; releases stalled responses first."""
        for behaviour in self.behaviours.values():
            behaviour.release.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def hub_server() -> Iterator[HubServer]:
    """A running HubServer, closed afterwards."""
    server = HubServer()
    try:
        yield server
    finally:
        server.close()


class _Handler(BaseHTTPRequestHandler):
    hub: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._send(404, b"")

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.hub.lock:
            self.hub.requests.append(Request(url.path, query, self.headers.get("Range")))
        match = _REPO.match(unquote(url.path))
        if match is None:
            self._send_json(404, {"Code": 404, "Message": "not found", "Success": False})
            return
        model_id = f"{match['owner']}/{match['name']}"
        files = self.hub.repos.get((model_id, query.get("Revision", "master")))
        if files is None:
            self._send_json(404, {"Code": 10010205001, "Message": "model not exists"})
        elif match["files"]:
            listing = [
                {
                    "Path": path,
                    "Name": path.rsplit("/", 1)[-1],
                    "Type": "blob",
                    "Size": len(data),
                    "Sha256": hashlib.sha256(data).hexdigest(),
                }
                for path, data in files.items()
            ]
            self._send_json(200, {"Code": 200, "Data": {"Files": listing}, "Success": True})
        elif query.get("FilePath") in files:
            behaviour = self.hub.behaviours.get((model_id, query["FilePath"]))
            self._send_file(files[query["FilePath"]], behaviour)
        else:
            self._send_json(404, {"Code": 10010205001, "Message": "file not exists"})

    def _send_file(self, data: bytes, behaviour: Behaviour | None) -> None:
        start = 0
        ranged = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if ranged and int(ranged[1]) < len(data):
            start = int(ranged[1])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        body = data[start:]
        if behaviour is None:
            self.wfile.write(body)
            return
        cut = behaviour.drop_after if behaviour.drop_after is not None else behaviour.stall_after
        self.wfile.write(body[: cut or 0])
        self.wfile.flush()
        if behaviour.stall_after is not None:
            behaviour.stalled.set()
            deadline = time.monotonic() + 60
            while not behaviour.release.wait(0.05) and time.monotonic() < deadline:
                pass
        # Close without the rest: the client sees a body shorter than Content-Length.
        self.close_connection = True

    def _send_json(self, status: int, body: dict[str, object]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
