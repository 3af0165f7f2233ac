"""Keep the worker's stdout for the protocol alone.

funasr, modelscope and tqdm print to stdout. Before anything heavy is imported, the worker
keeps a private duplicate of fd 1 for protocol lines and points fd 1 (and `sys.stdout`) at
stderr, so a stray print from any library lands in the log instead of the stream.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import BinaryIO

from engine.protocol import Message, encode


def claim_stdout() -> BinaryIO:
    """Return a private binary stream on the original stdout; fd 1 now writes to stderr."""
    sys.stdout.flush()
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    # Python-level prints go to stderr too, even if a library cached nothing of fd 1.
    sys.stdout = sys.stderr
    return os.fdopen(protocol_fd, "wb", buffering=0)


class ProtocolWriter:
    """Writes whole protocol lines; a lock keeps lines from two threads from interleaving."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        """Write one message as one line, flushed at once."""
        data = encode(message)
        with self._lock:
            self._stream.write(data)
            self._stream.flush()
