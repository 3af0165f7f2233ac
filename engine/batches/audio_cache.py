"""Inside the worker: the files it decoded last, so its next batch of one does not decode again.

The batches of a file mostly run on the worker that planned it, and decoding an hour of
audio again for each batch would cost seconds each. At the end of a queue the last short
files share their batches between workers (engine/pool/split.py), so a worker may alternate
between two files: it keeps two while both are short, and one long file alone.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

KEEP_FILES = 2
KEEP_BYTES = 96 * 1024 * 1024  # two files while together under ~25 minutes of 16 kHz audio

_Key = tuple[str, int, int]


class AudioCache:
    """The last decoded files (most recent last), each kept while it is unchanged on disk."""

    def __init__(self, keep_files: int = KEEP_FILES, keep_bytes: int = KEEP_BYTES) -> None:
        self._files: OrderedDict[_Key, np.ndarray] = OrderedDict()
        self._keep_files, self._keep_bytes = keep_files, keep_bytes

    def get(self, path: str, on_decode: Callable[[int, int], None]) -> np.ndarray:
        """The decoded audio of `path`, decoding it only if it is not kept."""
        from engine.audio import decode_audio

        try:
            stat = os.stat(path)
            key: _Key | None = (path, stat.st_size, stat.st_mtime_ns)
        except OSError:
            key = None  # decode_audio reports the missing file
        if key is not None and key in self._files:
            self._files.move_to_end(key)
            return self._files[key]
        self.forget(path)  # an older version of the file, if any
        audio = decode_audio(path, on_decode)
        if key is not None:
            self._files[key] = audio
            self._trim()
        return audio

    def forget(self, path: str) -> None:
        """Drop `path` (its transcript is assembled: no batch of it comes again)."""
        for key in [k for k in self._files if k[0] == path]:
            del self._files[key]

    def paths(self) -> list[str]:
        """The kept files, least recently used first."""
        return [key[0] for key in self._files]

    def _trim(self) -> None:
        # The newest file always stays; older ones go while there are too many or too big.
        while len(self._files) > 1 and (
            len(self._files) > self._keep_files
            or sum(a.nbytes for a in self._files.values()) > self._keep_bytes
        ):
            self._files.popitem(last=False)
