"""Which files count as media, and how folders expand into them (the GUI and the CLI)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_AUDIO = "wav mp3 m4a aac flac ogg oga opus wma aif aiff amr ac3 mka caf"
_VIDEO = "mp4 m4v mov mkv webm avi wmv flv mpg mpeg ts mts m2ts 3gp ogv"
AUDIO_EXTENSIONS = frozenset(f".{ext}" for ext in _AUDIO.split())
VIDEO_EXTENSIONS = frozenset(f".{ext}" for ext in _VIDEO.split())
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS


def is_media(path: Path) -> bool:
    """True for a file whose extension is a known audio or video type."""
    return path.suffix.lower() in MEDIA_EXTENSIONS


@dataclass
class Collected:
    """Media files found, in a stable order, and what was left out."""

    media: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def collect(paths: Iterable[Path]) -> Collected:
    """Media files among `paths`; folders expand recursively (sorted, hidden entries skipped)."""
    out = Collected()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.media.append(path)

    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    if is_media(child):
                        add(child)
                    else:
                        out.skipped.append(child)
        elif path.is_file() and is_media(path):
            add(path)
        else:
            out.skipped.append(path)
    return out
