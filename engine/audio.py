"""Decode any media file once, with PyAV, to 16 kHz mono float32."""

from __future__ import annotations

import os
from collections.abc import Callable

import av
import numpy as np

from engine.protocol import ErrorCode

SAMPLE_RATE = 16_000


class AudioError(Exception):
    """A file that cannot become audio; `code` says why."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def decode_audio(
    path: str,
    on_progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """The first audio stream of `path`, downmixed and resampled to 16 kHz mono float32.

    `on_progress(done_ms, total_ms)` is called as packets are decoded (total may be 0 when
    the container does not know its duration).
    """
    if not os.path.isfile(path):
        raise AudioError(ErrorCode.FILE_NOT_FOUND, f"file not found: {path}")
    if os.path.getsize(path) == 0:
        raise AudioError(ErrorCode.DECODE_FAILED, f"empty file: {os.path.basename(path)}")
    try:
        container = av.open(path, metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioError(
            ErrorCode.DECODE_FAILED, f"not a readable media file: {os.path.basename(path)} ({exc})"
        ) from None
    with container:
        if not container.streams.audio:
            raise AudioError(
                ErrorCode.NO_AUDIO_STREAM, f"no audio stream in {os.path.basename(path)}"
            )
        stream = container.streams.audio[0]
        total_ms = _duration_ms(container, stream)
        return _decode_stream(container, stream, total_ms, path, on_progress)


def probe_duration_ms(path: str) -> int | None:
    """How long the first audio stream of `path` is, from the container's header (nothing is
    decoded: milliseconds); None where it cannot be read or the header does not say."""
    try:
        with av.open(path, metadata_errors="ignore") as container:
            if not container.streams.audio:
                return None
            return _duration_ms(container, container.streams.audio[0]) or None
    except (OSError, av.error.FFmpegError, UnicodeDecodeError, ValueError):
        return None


def _duration_ms(container: av.container.InputContainer, stream: av.audio.AudioStream) -> int:
    if stream.duration is not None and stream.time_base is not None:
        return int(stream.duration * stream.time_base * 1000)
    if container.duration is not None:
        return int(container.duration // 1000)  # container duration is in microseconds
    return 0


def _decode_stream(
    container: av.container.InputContainer,
    stream: av.audio.AudioStream,
    total_ms: int,
    path: str,
    on_progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    decoded_samples = 0
    last_report_ms = -1_000
    bad_packets = 0
    for packet in container.demux(stream):
        try:
            frames = packet.decode()
        except av.error.FFmpegError:
            # One corrupt packet should not cost the whole file.
            bad_packets += 1
            continue
        for frame in frames:
            for out in resampler.resample(frame):
                chunk = out.to_ndarray().reshape(-1)
                chunks.append(chunk)
                decoded_samples += chunk.size
        done_ms = decoded_samples * 1000 // SAMPLE_RATE
        if on_progress is not None and done_ms - last_report_ms >= 1_000:
            on_progress(done_ms, max(total_ms, done_ms))
            last_report_ms = done_ms
    for out in resampler.resample(None):
        chunks.append(out.to_ndarray().reshape(-1))
    if not chunks and bad_packets:
        raise AudioError(
            ErrorCode.DECODE_FAILED, f"could not decode any audio in {os.path.basename(path)}"
        )
    audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    audio = audio.astype(np.float32, copy=False)
    if on_progress is not None:
        done_ms = audio.size * 1000 // SAMPLE_RATE
        on_progress(done_ms, done_ms)
    return audio
