"""Over 2,048 speaker windows FunASR clusters differently (k-means, or UMAP+HDBSCAN): the
re-cluster still gives back the transcript of transcription. Half an hour of speech."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from engine.speakers.embeddings import take_from_result
from engine.speakers.recluster import recluster
from engine.testing import speech
from engine.transcript import Transcript
from tests.engine.speakers.conftest import Transcribed

pytestmark = pytest.mark.slow
LONG_SECONDS = 2600  # ~2,400 windows (1,758 measured for 1,900 s): over FunASR's 2,048


@pytest.fixture(scope="module")
def long_conversation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    voices = ("en-us+m3", "en-us+f4")
    turns = (
        speech.Turn(voices[i % 2], speech.LINES[i % len(speech.LINES)], pause_after=1.6)
        for i in itertools.count()
    )
    path = tmp_path_factory.mktemp("long") / "long.wav"
    return speech.make_conversation(path, turns, min_seconds=LONG_SECONDS)


def test_a_long_file_reclustered_to_its_count_gives_back_the_same_transcript(
    transcribe: Transcribed, long_conversation: Path
) -> None:
    result = transcribe(long_conversation, speakers=2)
    embeddings = take_from_result(result)
    assert embeddings is not None and embeddings.count >= 2048, "not the long path"
    transcript = Transcript.from_worker_result(result)

    # Recomputed with FunASR's k-means path, not the labels kept from transcription.
    recomputed = recluster(transcript, replace(embeddings, labels=None), 2)
    assert recomputed.to_json() == transcript.to_json()
    assert recluster(transcript, embeddings, 2).to_json() == transcript.to_json()
