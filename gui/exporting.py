"""Write finished transcripts to files, one per chosen format, names taken from the source."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.transcript import Transcript


def available_formats() -> list[str]:
    """Format names the engine can write, in registry order."""
    from engine import export

    return list(export.FORMATS)


def target_folder(source: Path, folder: str | Path | None) -> Path:
    """The chosen folder, or the source file's own folder when none is chosen."""
    return Path(folder) if folder else source.parent


def export_all(
    items: Iterable[tuple[Transcript, Path]], formats: list[str], folder: str | Path | None
) -> list[Path]:
    """Write each (transcript, source path) in each format; returns the files written.

    Two sources with the same name going to one folder get `-2`, `-3`… so neither is lost.
    """
    from engine import export

    extensions = {fmt: export.FORMATS[fmt].extension for fmt in formats}
    written: list[Path] = []
    taken: set[Path] = set()
    for transcript, source in items:
        out_dir = target_folder(source, folder)
        out_dir.mkdir(parents=True, exist_ok=True)
        stem, n = source.stem, 1
        while any(out_dir / f"{stem}.{ext}" in taken for ext in extensions.values()):
            n += 1
            stem = f"{source.stem}-{n}"
        for fmt, ext in extensions.items():
            path = out_dir / f"{stem}.{ext}"
            export.write(transcript, fmt, path, export.ExportOptions())
            taken.add(path)
            written.append(path)
    return written
