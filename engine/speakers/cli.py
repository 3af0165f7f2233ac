"""`funscribe recluster`: change a saved transcript's speaker count without transcribing again.

    funscribe recluster talk.json --speakers 3              # rewrites talk.json
    funscribe recluster talk.json --speakers auto --out fixed --format json,srt

Reads the transcript's kept embeddings (`talk.speakers.npz` beside it). Exit status: 0 done,
1 cannot re-cluster (the message says why, e.g. an old transcript that needs a re-run),
2 usage error. The GUI runs this same command in a helper process, so both write the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli import ALL_FORMATS, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, parse_formats
from engine.speakers.embeddings import SidecarError, SpeakerEmbeddings, sidecar_path
from engine.transcript import Transcript


def parse_speakers(text: str) -> int | None:
    """`auto` → None; a whole number ≥ 1 → itself."""
    if text.strip().lower() == "auto":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or 'auto': {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The `funscribe recluster` arguments."""
    parser = argparse.ArgumentParser(
        prog="funscribe recluster",
        description="Re-cluster the speakers of a saved FunScribe transcript (JSON).",
    )
    parser.add_argument("transcript", metavar="FILE.json")
    parser.add_argument(
        "--speakers", type=parse_speakers, required=True, metavar="N|auto", help="speaker count"
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run `funscribe recluster ARGS`; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        formats = parse_formats(args.format)
        source = Path(args.transcript)
        transcript = _load(source)
        out_dir = Path(args.out) if args.out else source.parent
        out_dir.mkdir(parents=True, exist_ok=True)
    except (UsageError, OSError) as exc:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    embeddings_file = Path(args.embeddings) if args.embeddings else sidecar_path(source)
    from engine.speakers.recluster import ReclusterError, recluster

    try:
        embeddings = _embeddings(embeddings_file)
        result = recluster(transcript, embeddings, args.speakers)
        written = write_outputs(result, embeddings, out_dir / _stem(source), formats, source)
    except (ReclusterError, OSError) as exc:
        print(f"{source}: cannot re-cluster: {exc}", file=sys.stderr)
        return EXIT_FAILED
    count = len(result.speakers)
    print(f"{source}: {count} speaker{'s' * (count != 1)} -> {', '.join(map(str, written))}")
    return EXIT_OK


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
    try:
        return SpeakerEmbeddings.load(path)
    except SidecarError as exc:
        from engine.speakers.recluster import ReclusterError

        raise ReclusterError(str(exc)) from exc


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


if __name__ == "__main__":
    sys.exit(main())
