"""Speech-like benchmark audio: two espeak-ng voices taking turns, ~0.7 s pauses between turns.

After every third turn the pause is 1.6 s. The FSMN-VAD ends a segment only after ~1.5 s of
silence, so with 0.7 s pauses alone a whole file would be one 60 s segment (its maximum);
with the longer pauses segments are ~10-15 s, as in a real meeting. That matters for
progress and cancel granularity, which are per VAD segment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from bench.common import AUDIO
from engine.testing.speech import LINES, Turn, make_conversation, tools_available, wav_seconds

GAP_SECONDS = 0.7
LONG_GAP_SECONDS = 1.6
LONG_GAP_EVERY = 3
FORMAT = 3  # bump when the recipe changes, so cached files are made afresh
VOICES = (("en-us+m3", "en-us+f4"), ("en-gb+m1", "en-us+f2"), ("en-us+m7", "en-gb+f3"))


def make_files(count: int, seconds: float, folder: Path = AUDIO) -> list[Path]:
    """`count` different conversations of at least `seconds` each, 16 kHz mono (cached)."""
    if not tools_available():
        raise RuntimeError("the benchmarks need espeak-ng and sox to make their audio")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index in range(count):
        path = folder / f"talk{index}-{int(seconds)}s-v{FORMAT}.wav"
        if not path.is_file():
            make_conversation(path, _turns(index), min_seconds=seconds)
        files.append(path)
    return files


def duration(path: Path) -> float:
    """Seconds of a wav file."""
    return wav_seconds(path)


def _turns(index: int) -> Iterator[Turn]:
    """Endless turns of conversation `index`: its own voices, lines and speaking rates."""
    voices = VOICES[index % len(VOICES)]
    for turn in itertools.count():
        long_pause = (turn + 1) % LONG_GAP_EVERY == 0
        yield Turn(
            voice=voices[turn % 2],
            line=LINES[(turn + 5 * index) % len(LINES)],
            words_per_minute=150 + 10 * ((turn + index) % 3),
            pause_after=LONG_GAP_SECONDS if long_pause else GAP_SECONDS,
        )
