"""Speech-like audio made locally: espeak-ng voices taking turns, joined by sox with pauses.

Tests and benchmarks both need conversations with real speech/silence boundaries (so the
real FSMN-VAD cuts them into segments) and more than one voice; this is the one recipe.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import wave
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LINES = (
    "Good morning, thank you all for coming to the planning meeting today.",
    "Thanks. I would like to start with the budget for the next quarter.",
    "Sure, the numbers look better than last year, mostly because of travel.",
    "Great. Then we can move on to hiring and the new office in the autumn.",
    "One more thing, the release date moved by two weeks, so plan for that.",
    "Understood. Let us meet again on Friday and close the remaining items.",
    "The customer asked whether the export can keep the speaker names.",
    "It can, as long as the names are set before the transcript is saved.",
    "How long does a one hour recording take on an ordinary laptop?",
    "About ten minutes with two workers, a little more with speaker labels.",
    "Could we run it overnight on the archive of last year's interviews?",
    "Yes, the queue keeps going while the window is closed to the tray.",
    "What happens if the power goes out in the middle of a long file?",
    "The session is saved after every job, so only the current file restarts.",
    "I noticed the punctuation is sometimes missing after a long pause.",
    "That is the punctuation model seeing one segment at a time, we will look at it.",
    "Let me write that down as an action item for the next sprint.",
    "And the hotwords, do they help with the product names we keep using?",
    "They do, especially for names that sound like ordinary English words.",
    "Then please add the list from the marketing team before the next test.",
    "Before we finish, does anyone have questions about the schedule?",
    "Only one: will the Windows build be signed before the public release?",
    "It will, the certificate arrived yesterday and the pipeline is updated.",
    "Perfect. Thank you everyone, that was a productive hour.",
)


@dataclass(frozen=True)
class Turn:
    """One spoken line and the silence after it."""

    voice: str
    line: str
    words_per_minute: int = 160
    pause_after: float = 0.7


def meeting(voices: tuple[str, ...] = ("en-us+m3", "en-us+f4")) -> Iterator[Turn]:
    """An endless meeting: the voices take turns through LINES (bound it with min_seconds)."""
    for index in itertools.count():
        yield Turn(voice=voices[index % len(voices)], line=LINES[index % len(LINES)])


def tools_available() -> bool:
    """Whether espeak-ng and sox are on PATH."""
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def make_conversation(path: Path, turns: Iterable[Turn], min_seconds: float | None = None) -> Path:
    """Speak `turns` into a 16 kHz mono wav at `path`.

    Stops once `min_seconds` of audio is reached (so `turns` may be endless), else after the
    last turn. The file appears atomically, so an interrupted run never leaves half a file.
    """
    work = path.parent / f"{path.stem}-parts"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    parts: list[str] = []
    total = 0.0
    for index, turn in enumerate(turns):
        if min_seconds is not None and total >= min_seconds:
            break
        spoken = work / f"turn{index}.wav"
        _run(
            "espeak-ng",
            "-v",
            turn.voice,
            "-s",
            str(turn.words_per_minute),
            "-w",
            str(spoken),
            turn.line,
        )
        parts += [str(spoken), str(_silence(work, turn.pause_after))]
        total += wav_seconds(spoken) + turn.pause_after
    partial = path.with_suffix(".partial.wav")
    _run("sox", *parts, "-r", "16000", str(partial))
    partial.replace(path)
    shutil.rmtree(work)
    return path


def wav_seconds(path: Path) -> float:
    """Duration of a wav file in seconds."""
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def _silence(work: Path, seconds: float) -> Path:
    gap = work / f"gap{seconds}.wav"
    if not gap.exists():
        # espeak-ng writes 22.05 kHz mono 16-bit; a gap must match for sox to join them.
        _run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(gap), "trim", "0", str(seconds))
    return gap


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)
