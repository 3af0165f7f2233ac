"""`funscribe models list|download PRESET|verify [DIR]|remove PRESET`: the model cache, headless.

Exit status: 0 fine, 1 a download failed or a model set does not verify, 2 usage error,
130 interrupted (the download stops; the next `download` resumes it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from engine.models.cache import (
    PresetState,
    bytes_on_disk,
    default_cache_dir,
    preset_model_set,
    preset_state,
    remove_preset,
)
from engine.models.download_protocol import (
    Done,
    DownloadError,
    DownloadEvent,
    DownloadProgress,
    EventReader,
    Plan,
)
from engine.models.launch import download_command, download_environment
from engine.models.presets import PRESETS, Features, Preset
from engine.models.units import format_bytes, format_duration
from engine.models.verify import FIX_HINT, verify_model_set, verify_models_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_PLAIN_INTERVAL_S = 10.0  # off a terminal, a progress line at most this often


def build_parser() -> argparse.ArgumentParser:
    """The `funscribe models` arguments."""
    parser = argparse.ArgumentParser(prog="funscribe models", description=__doc__)
    parser.add_argument(
        "--cache", metavar="DIR", help="model cache (default: $FUNSCRIBE_MODEL_CACHE)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="presets, their state, size and features")
    download = commands.add_parser("download", help="download a preset (resumes a partial one)")
    download.add_argument("preset", choices=[k for k, p in PRESETS.items() if p.downloadable])
    verify = commands.add_parser("verify", help="check DIR/asr, vad, punc, spk, or the cache")
    verify.add_argument("dir", nargs="?", help="model folder (default: every downloaded preset)")
    remove = commands.add_parser("remove", help="delete a downloaded preset")
    remove.add_argument("preset", choices=[k for k, p in PRESETS.items() if p.downloadable])
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """Run one `models` command; returns the exit status."""
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    cache = Path(args.cache) if args.cache else default_cache_dir()
    if args.command == "list":
        return list_presets(cache, out)
    if args.command == "download":
        return download(PRESETS[args.preset], cache, out)
    if args.command == "verify":
        return verify(args.dir, cache, out)
    removed = remove_preset(PRESETS[args.preset], cache)
    print(f"removed {len(removed)} model folder(s) of {args.preset}", file=out)
    return EXIT_OK


def list_presets(cache: Path, out: TextIO) -> int:
    """One line per preset: key, state, size, features; then the cache folder."""
    for key, preset in PRESETS.items():
        if not preset.downloadable:
            note = f"{preset.title}: `verify DIR` checks your own"
            print(f"{key:6} {'-':8} {'':>9}  {note}", file=out)
            continue
        state = preset_state(preset, cache)
        size = bytes_on_disk(preset, cache) if state is PresetState.PRESENT else preset.approx_bytes
        approx = "" if state is PresetState.PRESENT else "~"
        print(
            f"{key:6} {state.value:8} {approx + format_bytes(size):>9}  {preset.title} "
            f"[{feature_text(preset.features)}]",
            file=out,
        )
    print(f"cache: {cache}", file=out)
    return EXIT_OK


def download(preset: Preset, cache: Path, out: TextIO) -> int:
    """Run the download process for `preset`, drawing its progress; returns the exit status."""
    program, args = download_command(preset.key, cache)
    process = subprocess.Popen(
        [program, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=download_environment(),
    )
    assert process.stdout is not None
    reader = EventReader()
    view = _DownloadView(preset.key, out)
    try:
        for raw in process.stdout:
            for event in reader.feed(raw):
                view.show(event)
        process.wait()
    except KeyboardInterrupt:
        process.kill()
        process.wait()
        print("\ncancelled; `funscribe models download` again resumes it", file=out)
        return EXIT_INTERRUPTED
    if not view.ok and process.returncode not in (0, 1):
        print(f"the download process exited with status {process.returncode}", file=out)
    return EXIT_OK if view.ok else EXIT_FAILED


class _DownloadView:
    """Draws download events: one rewritten line on a terminal, a line per 10 s elsewhere."""

    def __init__(self, key: str, out: TextIO) -> None:
        self.key = key
        self.out = out
        self.live = out.isatty()
        self.ok = False
        self._last_line = 0.0
        self._unshown: DownloadProgress | None = None

    def show(self, event: DownloadEvent) -> None:
        out = self.out
        if isinstance(event, Plan):
            total, here = format_bytes(event.bytes_total), format_bytes(event.bytes_done)
            print(f"downloading {self.key}: {total} ({here} already here)", file=out)
        elif isinstance(event, DownloadProgress):
            self._unshown = event
            if self.live or time.monotonic() - self._last_line > _PLAIN_INTERVAL_S:
                self._draw(event)
        else:
            if self._unshown is not None and not self.live:
                self._draw(self._unshown)  # where it ended
            if self.live:
                print(file=out)
            if isinstance(event, Done):
                self.ok = True
                print(f"{self.key} is ready:", file=out)
                for role, folder in event.folders.items():
                    print(f"  {role:5} {folder}", file=out)
            elif isinstance(event, DownloadError):
                print(f"error ({event.code.value}): {event.message}", file=out)

    def _draw(self, event: DownloadProgress) -> None:
        end = "\r" if self.live else "\n"
        print(progress_text(event).ljust(79), end=end, file=self.out, flush=True)
        self._last_line, self._unshown = time.monotonic(), None


def verify(folder: str | None, cache: Path, out: TextIO) -> int:
    """Verify DIR (asr, vad, punc, spk), or every preset present in the cache."""
    if folder is not None:
        checks = {folder: verify_models_dir(folder)}
    else:
        checks = {}
        for key, preset in PRESETS.items():
            models = preset_model_set(preset, cache) if preset.downloadable else None
            if models is not None:
                checks[f"{key} ({cache})"] = verify_model_set(models)
        if not checks:
            print(f"no downloaded preset in {cache}; try `funscribe models download zh`", file=out)
            return EXIT_FAILED
    failed = False
    for name, problems in checks.items():
        print(f"{name}: {'ok' if not problems else 'BROKEN'}", file=out)
        for problem in problems:
            print(f"  - {problem}", file=out)
        failed = failed or bool(problems)
    if failed:
        print(FIX_HINT, file=out)
    return EXIT_FAILED if failed else EXIT_OK


def progress_text(event: DownloadProgress) -> str:
    """'  45%  1.2 GB / 2.1 GB  5.3 MB/s  ETA 2:51  model.pt'."""
    percent = 100 * event.bytes_done / event.bytes_total if event.bytes_total else 0.0
    eta = format_duration(event.eta)
    name = Path(event.file).name
    return (
        f"{percent:5.1f}%  {format_bytes(event.bytes_done)} / {format_bytes(event.bytes_total)}"
        f"  {format_bytes(int(event.speed))}/s  ETA {eta}  {name}"
    )


def feature_text(features: Features) -> str:
    """'timestamps, hotwords, speakers' (what the preset can do)."""
    names = [name for name in ("timestamps", "hotwords", "speakers") if getattr(features, name)]
    return ", ".join(names) or "text only"
