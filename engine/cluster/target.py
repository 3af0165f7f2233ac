"""What `--cluster` and `--cluster-audio` mean, checked before Ray is imported."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

# How audio reaches an actor: decoded on the driver and sent through Ray's object store, or
# decoded by the actor from the same path on a file system every node mounts.
AUDIO_FROM_DRIVER = "driver"
AUDIO_FROM_SHARED_PATH = "shared"
AUDIO_MODES = (AUDIO_FROM_DRIVER, AUDIO_FROM_SHARED_PATH)


@dataclass(frozen=True)
class ClusterTarget:
    """Which Ray cluster: None means $RAY_ADDRESS if set, else a new Ray instance here."""

    address: str | None = None


def parse_cluster(text: str) -> ClusterTarget:
    """`ray`, `ray=auto` or `ray=HOST:PORT` (an argparse type)."""
    kind, sep, address = text.partition("=")
    if kind.strip().lower() != "ray":
        raise argparse.ArgumentTypeError(f"unknown cluster {kind!r} (use ray or ray=ADDRESS)")
    if sep and not address.strip():
        raise argparse.ArgumentTypeError("ray=: the address is missing (e.g. ray=10.0.0.5:6379)")
    return ClusterTarget(address.strip() or None)
