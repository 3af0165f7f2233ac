"""Re-clustering a transcript from its kept embeddings gives FunASR's own speakers back."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.speakers.embeddings import PAYLOAD_KEY, SpeakerEmbeddings, take_from_result
from engine.speakers.recluster import NEEDS_RERUN, ReclusterError, recluster
from engine.transcript import Transcript
from tests.engine.speakers.conftest import Transcribed


def _adopt(result: dict) -> tuple[Transcript, SpeakerEmbeddings]:
    embeddings = take_from_result(result)
    assert embeddings is not None, "the worker result kept no speaker embeddings"
    return Transcript.from_worker_result(result), embeddings


@pytest.mark.parametrize("speakers", [2, 3, None])
def test_reclustering_to_the_transcription_count_gives_back_the_same_transcript(
    transcribe: Transcribed, conversation_wav: Path, speakers: int | None
) -> None:
    transcript, embeddings = _adopt(transcribe(conversation_wav, speakers=speakers))
    assert embeddings.speakers == speakers
    assert 20 <= embeddings.count < 2048  # the spectral path
    assert embeddings.labels is not None

    kept = recluster(transcript, embeddings, speakers)
    recomputed = recluster(transcript, replace(embeddings, labels=None), speakers)

    assert kept.to_json() == transcript.to_json()
    assert recomputed.to_json() == transcript.to_json()  # FunASR's clustering, run again


def test_the_result_keeps_one_embedding_per_speaker_window_in_time_order(
    transcribe: Transcribed, conversation_wav: Path
) -> None:
    result = transcribe(conversation_wav, speakers=2)
    assert PAYLOAD_KEY in result
    transcript, embeddings = _adopt(result)
    starts = embeddings.windows[:, 0]
    assert np.all(np.diff(starts) > 0)
    assert np.all(embeddings.windows[:, 1] - starts <= 1.5 + 1e-9)
    assert embeddings.windows[-1, 1] * 1000 <= transcript.duration_ms
    assert embeddings.vectors.dtype == np.float32 and embeddings.vectors.shape[1] > 1
    assert embeddings.model.startswith("sha256:")


def test_a_result_without_diarization_keeps_no_embeddings(
    transcribe: Transcribed, conversation_wav: Path
) -> None:
    result = transcribe(conversation_wav, diarize=False)
    assert take_from_result(result) is None


def test_names_carry_over_to_the_speakers_they_mostly_are_and_come_back(
    transcribe: Transcribed, conversation_wav: Path
) -> None:
    transcript, embeddings = _adopt(transcribe(conversation_wav, speakers=2))
    transcript.rename_speaker(0, "Ada")
    transcript.rename_speaker(1, "Grace")

    three = recluster(transcript, embeddings, 3)
    back = recluster(three, embeddings, 2)

    assert len(three.speakers) == 3
    assert {"Ada", "Grace"} & {s.name for s in three.speakers}
    assert back.to_json() == transcript.to_json()


def test_a_transcript_without_embeddings_says_it_needs_a_rerun(
    transcribe: Transcribed, conversation_wav: Path
) -> None:
    transcript, _ = _adopt(transcribe(conversation_wav, speakers=2))
    with pytest.raises(ReclusterError, match="transcribe the file again"):
        recluster(transcript, None, 2)
    assert "transcribe the file again" in NEEDS_RERUN


def test_assignment_matches_funasrs_distribute_spk_over_every_turn() -> None:
    from funasr.models.campplus.utils import distribute_spk

    from engine.speakers.recluster import distribute

    rng = np.random.default_rng(5)
    edges = np.cumsum(rng.uniform(0.2, 3.0, 400))
    turns = [[float(a), float(b), int(rng.integers(3))] for a, b in itertools.pairwise(edges)]
    starts = np.sort(rng.integers(0, int(edges[-1] * 1000), 300))
    sentences = [{"start": int(a), "end": int(a + rng.integers(0, 4000))} for a in starts]
    expected = [dict(d) for d in sentences]
    distribute_spk(expected, [list(t) for t in turns])
    distribute(sentences, turns)
    assert [d["spk"] for d in sentences] == [d["spk"] for d in expected]
