"""Speakers told apart through the real pipeline, with the voice CAM++ (MODELS/spk-voices).

Every file here is spoken by voices the voice CAM++ never trained on, saying lines it never
trained on: the worker transcribes it (FSMN-VAD segments, FunASR's windows and clustering),
and its kept embeddings feed the voice library as in the app.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine.speakers.embeddings import SpeakerEmbeddings, take_from_result
from engine.speakers.library import VoiceLibrary, mean_of_units
from engine.speakers.suggest import DEFAULT_THRESHOLD, cosine, speaker_vectors, suggest
from engine.testing import speech
from engine.testing.voice_campplus import HELD_OUT
from engine.transcript import Transcript
from tests.engine.speakers.conftest import Transcribed

pytestmark = pytest.mark.slow
HALVES = (speech.LINES[0:4], speech.LINES[4:8])
Talk = Callable[[tuple[str, ...], tuple[str, ...]], Path]


def _voice(variant: str) -> str:
    return f"en-us+{variant}"


@pytest.fixture(scope="module")
def talk(tmp_path_factory: pytest.TempPathFactory) -> Talk:
    """Makes (and caches) a conversation: `talk(voices, lines)` → wav path."""
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    folder = tmp_path_factory.mktemp("voices")
    made: dict[tuple[tuple[str, ...], tuple[str, ...]], Path] = {}

    def make(voices: tuple[str, ...], lines: tuple[str, ...]) -> Path:
        key = (voices, lines)
        if key not in made:
            turns = [speech.Turn(_voice(voices[i % len(voices)]), t) for i, t in enumerate(lines)]
            made[key] = speech.make_conversation(folder / f"talk{len(made)}.wav", turns)
        return made[key]

    return make


def _transcript(
    transcribe: Transcribed, path: Path, **options: object
) -> tuple[Transcript, SpeakerEmbeddings]:
    result = transcribe(path, **options)
    embeddings = take_from_result(result)
    assert embeddings is not None
    return Transcript.from_worker_result(result), embeddings


def _first_speaker(transcript: Transcript) -> int:
    first = transcript.sentences[0].speaker
    assert first is not None
    return first


def test_same_voice_similarities_lie_above_the_threshold_and_different_ones_below(
    transcribe_voices: Transcribed, talk: Talk
) -> None:
    # One voice a file, two files a voice (different lines): what the library compares.
    means = {}
    for variant, half in itertools.product(HELD_OUT, (0, 1)):
        transcript, embeddings = _transcript(
            transcribe_voices, talk((variant,), HALVES[half]), speakers=1
        )
        means[variant, half] = mean_of_units(speaker_vectors(transcript, embeddings, 0))
    same = sorted(cosine(means[v, 0], means[v, 1]) for v in HELD_OUT)
    different = sorted(
        cosine(means[v, 0], means[w, 1]) for v, w in itertools.permutations(HELD_OUT, 2)
    )
    print(f"\nsame voice ({len(same)}): {np.round(same, 3).tolist()}")
    print(f"different voices ({len(different)}): {np.round(different, 3).tolist()}")
    assert max(different) < DEFAULT_THRESHOLD < min(same)


def test_a_saved_voice_is_suggested_in_another_file_with_other_lines_and_not_for_others(
    transcribe_voices: Transcribed, talk: Talk, tmp_path: Path
) -> None:
    first, first_embeddings = _transcript(
        transcribe_voices, talk(("m3", "f4"), speech.LINES[0:6]), speakers=2
    )
    library = VoiceLibrary.in_data_dir(tmp_path)
    vectors = speaker_vectors(first, first_embeddings, _first_speaker(first))  # m3
    ada = library.save("Ada", first_embeddings.model, vectors)

    # m3 again, second this time, with Annie and other lines: only m3's speaker is named.
    second, second_embeddings = _transcript(
        transcribe_voices, talk(("Annie", "m3"), speech.LINES[12:18]), speakers=2
    )
    annie = _first_speaker(second)
    found = suggest(second, second_embeddings, library.voices())
    assert [(s.voice.id, s.speaker != annie) for s in found] == [(ada.id, True)]

    # Two other voices: no suggestion at all.
    third, third_embeddings = _transcript(
        transcribe_voices, talk(("f2", "Andy"), speech.LINES[12:18]), speakers=2
    )
    assert suggest(third, third_embeddings, library.voices()) == []


def test_automatic_speaker_counting_finds_three_voices(
    transcribe_voices: Transcribed, talk: Talk
) -> None:
    path = talk(("m3", "f4", "Annie"), speech.LINES[0:9])
    transcript, embeddings = _transcript(transcribe_voices, path)
    assert embeddings.count >= 20  # enough windows for FunASR to cluster at all
    assert len(transcript.speakers) == 3
