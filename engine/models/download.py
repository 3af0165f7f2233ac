"""`python -m engine.models.download PRESET [--cache DIR]`: fetch a preset's models.

Runs as its own process (never in the GUI's) and speaks `engine.models.download_protocol` on
stdout. Files come through ModelScope's own client (`modelscope_hub`), so the endpoint
variables (`MODELSCOPE_ENDPOINT`, or the older `MODELSCOPE_DOMAIN`) point it at a mirror, and
its partial files (`<file>.incomplete`) resume with HTTP ranges on the next run. A model is
marked complete only after all its files arrived and the folder verified.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, BinaryIO

from engine.models.cache import (
    HUB_STATE_DIR,
    default_cache_dir,
    is_complete,
    mark_complete,
    model_folder,
)
from engine.models.download_errors import DownloadFailed, classify
from engine.models.download_protocol import (
    Done,
    DownloadError,
    DownloadErrorCode,
    DownloadEvent,
    DownloadProgress,
    Plan,
    encode,
)
from engine.models.presets import ModelRef, Preset, get_preset
from engine.models.verify import COMPLETE_MARKER, PARTIAL_SUFFIX, verify_model_folder

Emit = Callable[[DownloadEvent], None]
EXIT_FAILED = 1
_REPORT_EVERY = 0.2  # seconds between progress events
_SPEED_WINDOW = 5.0  # seconds of history behind the speed (and so the ETA)
# Hub repos carry sample audio and README figures that FunASR never reads.
SKIPPED_FILES = ("example/*", "fig/*")


class _Tally:
    """Bytes on disk per file, from the hub client's progress callbacks; reports progress."""

    def __init__(self, total: int, emit: Emit) -> None:
        self.total = total
        self.emit = emit
        self.lock = threading.Lock()
        self.files: dict[str, int] = {}
        self.samples: deque[tuple[float, int]] = deque()
        self.last_report = 0.0
        self.current = ""

    def set(self, key: str, done: int, force: bool = False) -> None:
        with self.lock:
            self.files[key] = done
            self.current = key
            self._report(force)

    @property
    def done(self) -> int:
        return sum(self.files.values())

    def report(self, force: bool = False) -> None:
        """Send a progress event (at most every _REPORT_EVERY seconds unless forced)."""
        with self.lock:
            self._report(force)

    def _report(self, force: bool) -> None:
        now = time.monotonic()
        done = self.done
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[0][0] > _SPEED_WINDOW:
            self.samples.popleft()
        if not force and now - self.last_report < _REPORT_EVERY:
            return
        self.last_report = now
        first_time, first_done = self.samples[0]
        speed = (done - first_done) / (now - first_time) if now > first_time else 0.0
        total = max(self.total, done)
        eta = round((total - done) / speed, 1) if speed > 0 else None
        self.emit(DownloadProgress(done, total, round(speed, 1), eta, self.current))

    def callback_class(self, prefix: str) -> type:
        """A hub ProgressCallback class whose instances (one per file) feed this tally."""
        from modelscope_hub import ProgressCallback

        tally = self

        class _Callback(ProgressCallback):
            def __init__(self, filename: str, file_size: int) -> None:
                super().__init__(filename, file_size)
                # The hub reports the bytes of a resumed partial file first, as one update.
                self.received = 0

            def update(self, size: int) -> None:
                self.received += size
                tally.set(f"{prefix}/{self.filename}", self.received)

            def end(self) -> None:
                tally.set(f"{prefix}/{self.filename}", self.received, force=True)

        return _Callback


def download_preset(preset: Preset, cache: Path, emit: Emit) -> dict[str, str]:
    """Fetch every model of `preset` not yet complete in `cache`; returns role → folder."""
    if not preset.downloadable:
        message = f"{preset.title} has nothing to download"
        raise DownloadFailed(DownloadErrorCode.BAD_REQUEST, message)
    cache.mkdir(parents=True, exist_ok=True)
    # The hub client's file locks go under our cache, not ~/.cache/modelscope.
    os.environ.setdefault("MODELSCOPE_CACHE", str(cache / HUB_STATE_DIR))
    os.environ.setdefault("TQDM_DISABLE", "1")
    # ModelScope's client library itself: `modelscope.hub` delegates to it, but importing
    # `modelscope` drags in torch (3 s) for nothing here.
    from modelscope_hub import HubApi

    refs = dict(preset.models)
    folders = {role: model_folder(cache, ref) for role, ref in refs.items()}
    api = HubApi()
    tally = _Tally(0, emit)
    listings: dict[str, list[dict[str, Any]]] = {}
    for role, ref in refs.items():
        with _failing_as(ref, role):
            listings[role] = _listing(api, ref, folders[role])
        for entry in listings[role]:
            name, size = entry["Path"], entry["Size"]
            tally.total += size
            tally.files[f"{ref.model_id}/{name}"] = _on_disk(folders[role], name, size)
    emit(Plan(preset.key, {r: ref.label for r, ref in refs.items()}, tally.total, tally.done))
    for role, ref in refs.items():
        folder = folders[role]
        if is_complete(folder):
            continue
        with _failing_as(ref, role):
            api.download_repo(
                ref.model_id,
                "model",
                revision=ref.revision,
                local_dir=folder,
                file_list=listings[role],
                progress_callbacks=[tally.callback_class(ref.model_id)],
            )
        problems = verify_model_folder(folder, role)
        if problems:
            raise DownloadFailed(DownloadErrorCode.VERIFY_FAILED, " ".join(problems))
        mark_complete(folder, ref)
    tally.report(force=True)
    return {role: str(folder) for role, folder in folders.items()}


def _listing(api: Any, ref: ModelRef, folder: Path) -> list[dict[str, Any]]:
    """The files of `ref` to fetch, as the hub lists them (from disk once complete)."""
    if is_complete(folder):
        return [
            {"Path": p.relative_to(folder).as_posix(), "Size": p.stat().st_size}
            for p in folder.rglob("*")
            if p.is_file() and p.name != COMPLETE_MARKER
        ]
    return [
        {"Path": f.path, "Type": "blob", "Size": f.size, "Sha256": f.sha256}
        for f in api.list_repo_files(ref.model_id, "model", revision=ref.revision)
        if f.type != "tree" and f.path and not any(fnmatch(f.path, p) for p in SKIPPED_FILES)
    ]


def _on_disk(folder: Path, name: str, size: int) -> int:
    """Bytes of `name` already in `folder`: the whole file, or the partial one to resume."""
    target = folder / name
    if target.is_file() and target.stat().st_size == size:
        return size
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    return min(partial.stat().st_size, size) if partial.is_file() else 0


@contextmanager
def _failing_as(ref: ModelRef, role: str) -> Iterator[None]:
    """Turn whatever the hub client raises into a DownloadFailed that names the model."""
    try:
        yield
    except DownloadFailed:
        raise
    except Exception as exc:
        raise classify(exc, ref, role) from exc


def main(argv: list[str] | None = None) -> int:
    """Run one preset download; exit 0 after `done`, 1 after `error`."""
    parser = argparse.ArgumentParser(prog="python -m engine.models.download", description=__doc__)
    parser.add_argument("preset", help="preset key, e.g. zh or en")
    parser.add_argument("--cache", help="model cache folder (default: $FUNSCRIBE_MODEL_CACHE)")
    args = parser.parse_args(argv)
    from engine.stdio import claim_stdout

    out = claim_stdout()
    emit = _writer(out)
    try:
        preset = get_preset(args.preset)
    except KeyError as exc:
        emit(DownloadError(DownloadErrorCode.BAD_REQUEST, str(exc.args[0])))
        return EXIT_FAILED
    cache = Path(args.cache) if args.cache else default_cache_dir()
    try:
        folders = download_preset(preset, cache, emit)
    except DownloadFailed as exc:
        emit(DownloadError(exc.code, exc.message, traceback.format_exc()))
        return EXIT_FAILED
    except Exception as exc:
        emit(
            DownloadError(
                DownloadErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}", traceback.format_exc()
            )
        )
        return EXIT_FAILED
    emit(Done(preset.key, folders))
    return 0


def _writer(stream: BinaryIO) -> Emit:
    lock = threading.Lock()

    def emit(event: DownloadEvent) -> None:
        data = encode(event)
        with lock:
            stream.write(data)
            stream.flush()

    return emit


if __name__ == "__main__":
    sys.exit(main())
