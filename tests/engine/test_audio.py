"""Decoding: any container ffmpeg reads becomes 16 kHz mono float32, once; bad files say why."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from engine.audio import SAMPLE_RATE, AudioError, decode_audio
from engine.protocol import ErrorCode


def _transcode(source: Path, target: Path, *args: str) -> Path:
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-i", str(source), *args, str(target)], check=True
    )
    return target


@pytest.mark.parametrize(
    ("suffix", "args"),
    [
        ("mp3", ["-c:a", "libmp3lame"]),
        ("m4a", ["-c:a", "aac"]),
        ("flac", []),
        ("opus", ["-c:a", "libopus"]),
        ("mkv", ["-c:a", "libopus"]),
        ("webm", ["-c:a", "libopus"]),
    ],
)
def test_common_containers_decode_to_the_same_length(
    speech_wav: Path, tmp_path: Path, suffix: str, args: list[str]
) -> None:
    reference = decode_audio(str(speech_wav))
    audio = decode_audio(str(_transcode(speech_wav, tmp_path / f"clip.{suffix}", *args)))
    assert audio.dtype == np.float32 and audio.ndim == 1
    # Codec priming/padding may add or drop a few tens of milliseconds, never more.
    assert abs(audio.size - reference.size) < 0.1 * SAMPLE_RATE
    assert np.abs(audio).max() > 0.05


def test_wav_decodes_to_16k_mono_float32_with_its_duration(speech_wav: Path) -> None:
    audio = decode_audio(str(speech_wav))
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert audio.size == pytest.approx(6.2566 * SAMPLE_RATE, abs=160)


def test_stereo_44k_is_downmixed_and_resampled(speech_wav: Path, tmp_path: Path) -> None:
    stereo = _transcode(speech_wav, tmp_path / "stereo.wav", "-ac", "2", "-ar", "44100")
    audio = decode_audio(str(stereo))
    mono = decode_audio(str(speech_wav))
    assert audio.ndim == 1
    assert abs(audio.size - mono.size) <= 32
    n = min(audio.size, mono.size)
    assert np.corrcoef(audio[:n], mono[:n])[0, 1] > 0.95


def test_first_audio_stream_of_a_video_is_used(speech_mp4: Path, speech_wav: Path) -> None:
    audio = decode_audio(str(speech_mp4))
    assert abs(audio.size - decode_audio(str(speech_wav)).size) < 0.1 * SAMPLE_RATE


def test_progress_reaches_the_full_duration(speech_wav: Path) -> None:
    seen: list[tuple[int, int]] = []
    audio = decode_audio(str(speech_wav), lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == audio.size * 1000 // SAMPLE_RATE
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda d: d / "missing.wav", ErrorCode.FILE_NOT_FOUND, "file not found"),
        (lambda d: _write(d / "empty.wav", b""), ErrorCode.DECODE_FAILED, "empty file"),
        (
            lambda d: _write(d / "noise.wav", np.random.default_rng(1).bytes(40_000)),
            ErrorCode.DECODE_FAILED,
            "not a readable media file",
        ),
        (
            lambda d: _write(d / "notes.wav", b"just some text\n" * 50),
            ErrorCode.DECODE_FAILED,
            "not a readable media file",
        ),
    ],
    ids=["missing", "empty", "random-bytes", "text-named-wav"],
)
def test_bad_inputs_raise_a_specific_code(
    tmp_path: Path, make: object, code: ErrorCode, words: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(AudioError, match=words) as caught:
        decode_audio(str(path))
    assert caught.value.code is code


def test_video_without_audio_is_reported_as_such(no_audio_mp4: Path) -> None:
    with pytest.raises(AudioError, match="no audio stream") as caught:
        decode_audio(str(no_audio_mp4))
    assert caught.value.code is ErrorCode.NO_AUDIO_STREAM


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
