"""Shared fixtures: the tiny real model set, committed clips, and generated speech."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from engine.testing import speech

DATA = Path(__file__).parent / "data"
LONG_SECONDS = 310  # the split-path long meeting: over five minutes, ~10 batches


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny random-weight FunASR models (real FSMN-VAD): DIR/asr, vad, punc, spk."""
    prebuilt = os.environ.get("FUNSCRIBE_TEST_MODELS")
    from engine.testing.tiny_models import build_model_set

    target = Path(prebuilt) if prebuilt else tmp_path_factory.mktemp("models")
    return build_model_set(target)


@pytest.fixture(scope="session")
def voice_spk_dir(model_dir: Path) -> Path:
    """The tiny CAM++ trained to tell espeak-ng voices apart (MODELS/spk-voices, hub layout)."""
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to train the voice CAM++")
    from engine.testing.voice_campplus import FOLDER, build

    return build(model_dir / FOLDER)


@pytest.fixture(scope="session")
def speech_wav() -> Path:
    """A 6 s English espeak-ng clip, 16 kHz mono."""
    return DATA / "speech.wav"


@pytest.fixture(scope="session")
def speech_mp4() -> Path:
    """The same clip muxed into an H.264/AAC video."""
    return DATA / "speech.mp4"


@pytest.fixture(scope="session")
def no_audio_mp4() -> Path:
    """A 2 s video with no audio stream."""
    return DATA / "no_audio.mp4"


def make_conversation(path: Path, turns: int = 6) -> Path:
    """Speech from two espeak-ng voices taking turns, with pauses (~30 s for 6 turns)."""
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    voices = ("en-us+m3", "en-us+f4")
    spoken = (speech.Turn(voice=voices[i % 2], line=speech.LINES[i % 6]) for i in range(turns))
    return speech.make_conversation(path, spoken)


@pytest.fixture(scope="session")
def conversation_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~30 s of two alternating voices with pauses, made at test time."""
    return make_conversation(tmp_path_factory.mktemp("audio") / "conversation.wav")


# ---- the split-path files (tests/engine/batches, tests/gui): made once per session ----


@pytest.fixture(scope="session")
def long_meeting_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Over five minutes of two voices taking turns."""
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    path = tmp_path_factory.mktemp("split-audio") / "long-meeting.wav"
    return speech.make_conversation(path, speech.meeting(), min_seconds=LONG_SECONDS)


@pytest.fixture(scope="session")
def cut_wav(long_meeting_wav: Path) -> Path:
    """80 s cut out of the long meeting, starting mid-sentence."""
    path = long_meeting_wav.with_name("cut.wav")
    subprocess.run(["sox", str(long_meeting_wav), str(path), "trim", "101.3", "80"], check=True)
    return path


@pytest.fixture(scope="session")
def split_files(conversation_wav: Path, cut_wav: Path, long_meeting_wav: Path) -> list[Path]:
    """Three files: ~30 s, 80 s and over five minutes."""
    return [conversation_wav, cut_wav, long_meeting_wav]


@pytest.fixture(scope="session")
def references(
    model_dir: Path, split_files: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Any]:
    """FunASR's own `generate` output for each of the three files."""
    from tests.engine.batches.split_helpers import generate_references

    return generate_references(model_dir, split_files, tmp_path_factory.mktemp("references"))
