"""Shared fixtures: the tiny real model set, committed clips, and generated speech."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny random-weight FunASR models (real FSMN-VAD): DIR/asr, vad, punc, spk."""
    prebuilt = os.environ.get("FUNSCRIBE_TEST_MODELS")
    from engine.testing.tiny_models import build_model_set

    target = Path(prebuilt) if prebuilt else tmp_path_factory.mktemp("models")
    return build_model_set(target)


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
    """Speech from two espeak-ng voices taking turns, with pauses (~20 s for 6 turns)."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed to make speech")
    lines = [
        "Good morning, thank you all for coming to the planning meeting today.",
        "Thanks. I would like to start with the budget for the next quarter.",
        "Sure, the numbers look better than last year, mostly because of travel.",
        "Great. Then we can move on to hiring and the new office in the autumn.",
        "One more thing, the release date moved by two weeks, so plan for that.",
        "Understood. Let us meet again on Friday and close the remaining items.",
    ]
    work = path.parent / f"{path.stem}-parts"
    work.mkdir(exist_ok=True)
    gap = work / "gap.wav"
    # espeak-ng writes 22.05 kHz mono 16-bit; the gap must match for sox to concatenate.
    subprocess.run(
        ["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(gap), "trim", "0", "0.7"],
        check=True,
    )
    parts: list[str] = []
    for i in range(turns):
        voice = "en-us+m3" if i % 2 == 0 else "en-us+f4"
        raw = work / f"turn{i}.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", "160", "-w", str(raw), lines[i % len(lines)]],
            check=True,
        )
        parts += [str(raw), str(gap)]
    subprocess.run(["sox", *parts, "-r", "16000", str(path)], check=True)
    shutil.rmtree(work)
    return path


@pytest.fixture(scope="session")
def conversation_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~20 s of two alternating voices with pauses, made at test time."""
    return make_conversation(tmp_path_factory.mktemp("audio") / "conversation.wav")
