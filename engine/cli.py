"""`funscribe transcribe`: files and folders to subtitles and text, headless, on the worker pool.

Runs the GUI's pool on a QCoreApplication. Exit status: 0 all done, 1 some failed, 2 usage
error, 130 interrupted (Ctrl-C; every worker is stopped first).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from engine.cluster.target import AUDIO_FROM_DRIVER, AUDIO_MODES, parse_cluster
from engine.export import FORMATS
from engine.media_files import is_media
from engine.protocol import JobOptions

DEFAULT_PRESET = "zh"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MODELS_ENV = "FUNSCRIBE_MODELS"
ALL_FORMATS = tuple(FORMATS)


class UsageError(Exception):
    """Arguments that cannot make a run (exit status 2)."""


@dataclass
class Plan:
    """Everything a run needs, checked before any worker starts."""

    inputs: list[Path]
    outputs: dict[Path, Path]  # input → output path without extension
    formats: list[str]
    options: JobOptions
    models_args: list[str]  # the worker's model arguments: --models DIR, or --asr ... --spk ...
    workers: int | None
    threads: int | None
    notes: list[str] = field(default_factory=list)


def build_parser() -> argparse.ArgumentParser:
    """The `funscribe transcribe` arguments."""
    parser = argparse.ArgumentParser(
        prog="funscribe transcribe",
        description="Transcribe media files (folders are searched for media files).",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    parser.add_argument("--out", default=".", metavar="DIR", help="output folder (default: .)")
    parser.add_argument(
        "--format",
        default=",".join(ALL_FORMATS),
        metavar="LIST",
        help=f"comma-separated output formats from {','.join(ALL_FORMATS)} (default: all)",
    )
    parser.add_argument("--workers", type=_positive, metavar="N", help="worker processes")
    parser.add_argument("--threads", type=_positive, metavar="K", help="threads per worker")
    parser.add_argument(
        "--models",
        metavar="DIR",
        default=os.environ.get(MODELS_ENV),
        help=f"model folder holding asr/vad/punc/spk (default: ${MODELS_ENV}, else --preset)",
    )
    parser.add_argument(
        "--preset",
        default=DEFAULT_PRESET,
        metavar="NAME",
        help=f"downloaded model preset when no --models is given (default: {DEFAULT_PRESET};"
        " see `funscribe models list`)",
    )
    parser.add_argument("--speakers", type=parse_speakers, default=None, metavar="N|auto")
    parser.add_argument("--hotwords", default="", metavar="WORDS")
    parser.add_argument(
        "--cluster",
        type=parse_cluster,
        metavar="ray[=ADDRESS]",
        help="run on a Ray cluster (ray: $RAY_ADDRESS or a new local one; ray=auto; ray=HOST:PORT;"
        " needs `pip install funscribe[cluster]`, see docs/cluster.md)",
    )
    parser.add_argument(
        "--cluster-audio",
        choices=AUDIO_MODES,
        default=AUDIO_FROM_DRIVER,
        help="with --cluster: decode on this machine and send the audio (driver, default), or"
        " let each actor read the same path (shared: every node mounts the files there)",
    )
    parser.add_argument(
        "--summary-json", type=Path, metavar="PATH", help="with --cluster: write a JSON summary"
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_speakers(text: str) -> int | None:
    """`auto` → None (automatic); a whole number ≥ 1 → itself."""
    return None if text.strip().lower() == "auto" else _positive(text)


def parse_formats(text: str, known: tuple[str, ...] = ALL_FORMATS) -> list[str]:
    """`srt,txt` → ['srt', 'txt']; unknown or empty lists are usage errors."""
    formats = list(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",")))
    formats = [f for f in formats if f]
    unknown = [f for f in formats if f not in known]
    if unknown or not formats:
        raise UsageError(
            f"--format: unknown {', '.join(unknown) or 'empty list'}"
            f" (choose from {', '.join(known)})"
        )
    return formats


def expand_inputs(paths: list[str]) -> list[Path]:
    """Files as given, and media files found (recursively, sorted) in folders; no duplicates."""
    found: list[Path] = []
    seen: set[Path] = set()
    for text in paths:
        path = Path(text)
        if path.is_dir():
            candidates = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and is_media(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        elif path.is_file():
            candidates = [path]
        else:
            raise UsageError(f"{text}: no such file or folder")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def plan_outputs(inputs: list[Path], out_dir: Path) -> tuple[dict[Path, Path], list[str]]:
    """OUT/<stem> for each input; a stem already taken by another input gets '-2', '-3', …"""
    taken: dict[str, Path] = {}
    outputs: dict[Path, Path] = {}
    notes: list[str] = []
    for path in inputs:
        stem, n = path.stem, 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{path.stem}-{n}"
        if n > 1:
            first = taken[path.stem.casefold()]
            notes.append(f"{path}: written as {stem}.* ({path.stem}.* is for {first})")
        taken[stem.casefold()] = path
        outputs[path] = out_dir / stem
    return outputs, notes


def make_plan(args: argparse.Namespace) -> Plan:
    """Check the arguments and work out inputs and outputs; raises UsageError."""
    formats = parse_formats(args.format)
    models_args = _models_args(args.models, args.preset)
    inputs = expand_inputs(args.paths)
    if not inputs:
        raise UsageError("no media files found")
    out_dir = Path(args.out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out_dir}: {exc.strerror or exc}") from None
    outputs, notes = plan_outputs(inputs, out_dir)
    options = JobOptions(speakers=args.speakers, hotwords=args.hotwords)
    return Plan(inputs, outputs, formats, options, models_args, args.workers, args.threads, notes)


def _models_args(models: str | None, preset_key: str) -> list[str]:
    """Worker model arguments: the folder given, else the downloaded preset's folders."""
    if models:
        if not Path(models).is_dir():
            raise UsageError(f"--models {models}: not a folder")
        return ["--models", models]
    from engine.models.cache import default_cache_dir, preset_model_set
    from engine.models.presets import get_preset

    try:
        preset = get_preset(preset_key)
    except KeyError as exc:
        raise UsageError(f"--preset: {exc.args[0]}") from None
    model_set = preset_model_set(preset, default_cache_dir()) if preset.downloadable else None
    if model_set is None:
        raise UsageError(
            f"no models: preset {preset_key!r} is not downloaded (run `funscribe models"
            f" download {preset_key}`), or give --models DIR or set ${MODELS_ENV}"
        )
    return model_set.worker_args()


def main(argv: list[str] | None = None) -> int:
    """Run `funscribe transcribe ARGS`; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if args.cluster is None and args.summary_json is not None:
            raise UsageError("--summary-json: only with --cluster")
        plan = make_plan(args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.cluster is not None:
        return _run_on_cluster(parser, plan, args)
    from engine.cli_run import run

    return run(plan)


def _run_on_cluster(parser: argparse.ArgumentParser, plan: Plan, args: argparse.Namespace) -> int:
    try:
        from engine.cluster.driver import run as run_on_cluster
    except ModuleNotFoundError as exc:
        if exc.name != "ray":
            raise
        print(
            f"{parser.prog}: error: --cluster needs Ray: pip install 'funscribe[cluster]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run_on_cluster(plan, args.cluster, args.cluster_audio, args.summary_json)


if __name__ == "__main__":
    sys.exit(main())
