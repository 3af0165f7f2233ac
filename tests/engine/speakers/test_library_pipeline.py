"""The voice library on embeddings from the real pipeline (tiny random-weight CAM++).

Random weights cannot tell voices apart, so this checks the path, not the discrimination
(that is tested on controlled embeddings in test_library.py): a speaker saved from one
transcript is compared with the speakers of another made by the same speaker model, and
never with those of another model.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.speakers.embeddings import take_from_result
from engine.speakers.library import VoiceLibrary
from engine.speakers.suggest import cosine, speaker_vectors, suggest
from engine.testing import speech
from engine.transcript import Transcript
from tests.engine.speakers.conftest import Transcribed


@pytest.fixture(scope="module")
def other_lines_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same two voices as conversation_wav, saying other lines."""
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    turns = [speech.Turn(("en-us+m3", "en-us+f4")[i % 2], speech.LINES[6 + i]) for i in range(6)]
    return speech.make_conversation(tmp_path_factory.mktemp("other") / "other.wav", turns)


def test_a_saved_speaker_is_compared_with_speakers_of_the_same_model_only(
    transcribe: Transcribed, conversation_wav: Path, other_lines_wav: Path, tmp_path: Path
) -> None:
    first = transcribe(conversation_wav, speakers=2)
    first_embeddings = take_from_result(first)
    first_transcript = Transcript.from_worker_result(first)
    second = transcribe(other_lines_wav, speakers=2)
    second_embeddings = take_from_result(second)
    second_transcript = Transcript.from_worker_result(second)
    assert first_embeddings is not None and second_embeddings is not None
    assert first_embeddings.model == second_embeddings.model

    library = VoiceLibrary.in_data_dir(tmp_path)
    vectors = speaker_vectors(first_transcript, first_embeddings, 0)
    assert len(vectors) > 0
    saved = library.save("Ada", first_embeddings.model, vectors)

    found = suggest(second_transcript, second_embeddings, library.voices(), threshold=-1.0)
    assert [s.voice.id for s in found] == [saved.id]  # one voice, one speaker at most
    expected = cosine(
        np.mean(
            [
                v / np.linalg.norm(v)
                for v in speaker_vectors(second_transcript, second_embeddings, found[0].speaker)
            ],
            axis=0,
        ),
        saved.mean,
    )
    assert found[0].similarity == pytest.approx(expected, abs=1e-5)

    other_model = replace(second_embeddings, model="sha256:another-model")
    assert suggest(second_transcript, other_model, library.voices(), threshold=-1.0) == []
