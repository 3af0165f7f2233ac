"""Shared fixtures: the tiny real model set, committed clips, and generated speech."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.testing import speech

DATA = Path(__file__).parent / "data"


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
