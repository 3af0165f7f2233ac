"""`funscribe recluster`: change a saved transcript's speaker count without transcribing again.

    funscribe recluster talk.json --speakers 3              # rewrites talk.json
    funscribe recluster talk.json --speakers auto --out fixed --format json,srt
    funscribe recluster --serve                             # JSON lines, for the GUI

Reads the transcript's kept embeddings (`talk.speakers.npz` beside it). Exit status: 0 done,
1 cannot re-cluster (the message says why, e.g. an old transcript that needs a re-run),
2 usage error. `--serve` keeps torch and FunASR loaded and answers one request per stdin
line (see `engine.speakers.service`); both paths run `recluster_file`, so the GUI and the
command line write the same files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli import (
    ALL_FORMATS,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    parse_formats,
    parse_speakers,
)
from engine.speakers.embeddings import SidecarError, SpeakerEmbeddings, sidecar_path
from engine.transcript import Transcript


class CannotRecluster(Exception):
    """This transcript cannot be re-clustered; the message says why (exit status 1)."""


def build_parser() -> argparse.ArgumentParser:
    """The `funscribe recluster` arguments."""
    parser = argparse.ArgumentParser(
        prog="funscribe recluster",
        description="Re-cluster the speakers of a saved FunScribe transcript (JSON).",
    )
    parser.add_argument("transcript", nargs="?", metavar="FILE.json")
    parser.add_argument(
        "--speakers",
        type=parse_speakers,
        default=argparse.SUPPRESS,  # absent, unlike "auto" (None)
        metavar="N|auto",
        help="speaker count",
    )
    parser.add_argument(
        "--embeddings", metavar="PATH", help="speaker embeddings (default: FILE.speakers.npz)"
    )
    parser.add_argument(
        "--out", metavar="DIR", help="output folder (default: the transcript's folder)"
    )
    parser.add_argument(
        "--format",
        default="json",
        metavar="LIST",
        help=f"comma-separated formats from {','.join(ALL_FORMATS)} (default: json)",
    )
    parser.add_argument("--serve", action="store_true", help="answer JSON-line requests")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `funscribe recluster ARGS`; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.serve:
        from engine.speakers.service import serve

        return serve(sys.stdin, sys.stdout)
    try:
        if args.transcript is None or "speakers" not in vars(args):
            raise UsageError("give FILE.json and --speakers N|auto")
        formats = parse_formats(args.format)
        source = Path(args.transcript)
        out_dir = Path(args.out) if args.out else None
        embeddings = Path(args.embeddings) if args.embeddings else None
        written, count = recluster_file(source, args.speakers, out_dir, formats, embeddings)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CannotRecluster as exc:
        print(f"{args.transcript}: cannot re-cluster: {exc}", file=sys.stderr)
        return EXIT_FAILED
    shown = ", ".join(map(str, written))
    print(f"{args.transcript}: {count} speaker{'s' * (count != 1)} -> {shown}")
    return EXIT_OK


def recluster_file(
    source: Path,
    speakers: int | None,
    out_dir: Path | None = None,
    formats: list[str] | None = None,
    embeddings_path: Path | None = None,
) -> tuple[list[Path], int]:
    """Re-cluster the transcript file `source`; returns (files written, speaker count).

    UsageError for an unreadable transcript or output folder, CannotRecluster when the
    speakers cannot change (no kept embeddings, a damaged sidecar, a failed write).
    """
    from engine.speakers.recluster import ReclusterError, recluster

    transcript = _load(source)
    folder = source.parent if out_dir is None else out_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {folder}: {exc.strerror or exc}") from None
    try:
        embeddings = _embeddings(embeddings_path or sidecar_path(source))
        result = recluster(transcript, embeddings, speakers)
        written = write_outputs(
            result, embeddings, folder / _stem(source), formats or ["json"], source
        )
    except (ReclusterError, SidecarError, OSError) as exc:
        raise CannotRecluster(str(exc)) from exc
    return written, len(result.speakers)


def write_outputs(
    transcript: Transcript,
    embeddings: SpeakerEmbeddings | None,
    base: Path,
    formats: list[str],
    source: Path,
) -> list[Path]:
    """Write BASE.<ext> per format; a JSON written elsewhere gets the embeddings beside it."""
    from engine.export import FORMATS, write

    written: list[Path] = []
    for fmt in formats:
        path = base.with_name(f"{base.name}.{FORMATS[fmt].extension}")
        write(transcript, fmt, path)
        written.append(path)
        moved = path.resolve() != source.resolve()
        if fmt == "json" and embeddings is not None and moved:
            embeddings.save(sidecar_path(path))  # so the new file can be re-clustered too
    return written


def _load(path: Path) -> Transcript:
    try:
        return Transcript.load(path)
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _embeddings(path: Path) -> SpeakerEmbeddings | None:
    if not path.exists():
        return None  # recluster() explains that the transcript needs a re-run
    return SpeakerEmbeddings.load(path)


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


if __name__ == "__main__":
    sys.exit(main())
