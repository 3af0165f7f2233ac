"""Re-cluster a finished transcript's speakers from its kept embeddings, with FunASR's code.

The steps are `AutoModel.inference_with_vad`'s own, after ASR and punctuation: the
ClusterBackend (its path by window count: one speaker under 20 windows, spectral under 2,048,
k-means or UMAP+HDBSCAN above), `postprocess` (labels → speaker turns), `distribute_spk`
(turns → sentences). At the count the file was transcribed with, the labels FunASR gave then
(kept in the sidecar) make the result the transcript FunASR produced; other counts cluster
afresh, with numpy's global RNG seeded alike each time, so a request always gives one answer.

Imports torch and FunASR: run it in the worker or a helper process, never the GUI thread.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from engine.speakers.embeddings import SpeakerEmbeddings
from engine.speakers.naming import carry_names, renumber, with_labels
from engine.transcript import Transcript

NEEDS_RERUN = (
    "this transcript has no kept speaker embeddings (it was transcribed before FunScribe kept"
    " them, or without speakers): transcribe the file again to change its speakers"
)


class ReclusterError(ValueError):
    """A transcript that cannot be re-clustered; the message says why, for the user."""


def cluster_labels(embeddings: SpeakerEmbeddings, speakers: int | None) -> np.ndarray:
    """FunASR's ClusterBackend labels for the windows, `speakers` fixed or None (automatic)."""
    import torch
    from funasr.models.campplus.cluster_backend import ClusterBackend

    from engine.clustering import Clustering

    # The very wrapper a job clusters through (seeded RNG, UMAP random_state, short files
    # with a fixed count), so a re-cluster takes the path and the labels the job took.
    clustering = Clustering(ClusterBackend(**embeddings.cluster))
    # FunASR passes a CPU tensor; sklearn converts it the same way here.
    labels = clustering(torch.from_numpy(embeddings.vectors), oracle_num=speakers)
    return np.asarray(labels)


def sentence_speakers(
    transcript: Transcript, embeddings: SpeakerEmbeddings, speakers: int | None
) -> list[int]:
    """FunASR's raw speaker id for each sentence of `transcript`, re-clustered."""
    from funasr.models.campplus.utils import postprocess

    if embeddings.labels is not None and speakers == embeddings.speakers:
        # The count of transcription: FunASR's own labels of that run. Re-running would give
        # them again on the spectral and k-means paths, but UMAP (automatic, over 2,048
        # windows) is not reproducible across processes, and takes a minute.
        labels = embeddings.labels.copy()
    else:
        labels = cluster_labels(embeddings, speakers)
    segments: list[list[Any]] = [[float(st), float(ed)] for st, ed in embeddings.windows]
    turns = postprocess(segments, None, labels, embeddings.vectors)
    sentences = [{"start": s.start_ms, "end": s.end_ms} for s in transcript.sentences]
    distribute(sentences, turns)
    return [int(s["spk"]) for s in sentences]


def distribute(sentences: list[dict[str, Any]], turns: list[list[Any]]) -> None:
    """FunASR's `distribute_spk`, each sentence given only the turns that may overlap it.

    In its loop a turn that does not overlap the sentence changes nothing, so the result is
    the same; the loop over every turn for every sentence (2,700 x 1,300 on 40 minutes)
    took seconds.
    """
    from funasr.models.campplus.utils import distribute_spk

    if not turns:
        distribute_spk(sentences, turns)
        return
    starts = np.array([float(t[0]) for t in turns]) * 1000
    ends = np.array([float(t[1]) for t in turns]) * 1000
    for first in range(0, len(sentences), 256):
        chunk = sentences[first : first + 256]
        s_start = np.array([float(d["start"]) for d in chunk])[:, None]
        s_end = np.array([float(d["end"]) for d in chunk])[:, None]
        # A margin of 1 ms keeps borderline turns in; extra turns are harmless.
        near = np.minimum(s_end, ends) - np.maximum(s_start, starts) > -1.0
        for sentence, row in zip(chunk, near, strict=True):
            distribute_spk([sentence], [turns[j] for j in np.flatnonzero(row)])


def recluster(
    transcript: Transcript, embeddings: SpeakerEmbeddings | None, speakers: int | None
) -> Transcript:
    """A copy of `transcript` with speakers re-clustered to `speakers` (None: automatic).

    Names carry over where a new speaker is mostly an old one; text and times are untouched.
    """
    if embeddings is None or embeddings.count == 0:
        raise ReclusterError(NEEDS_RERUN)
    if speakers is not None and speakers < 1:
        raise ReclusterError("the speaker count must be at least 1")
    if not transcript.sentences:
        return replace(transcript, sentences=[], speakers=[])
    labels = renumber(sentence_speakers(transcript, embeddings, speakers))
    return replace(
        transcript,
        sentences=with_labels(transcript.sentences, labels),
        speakers=carry_names(transcript.sentences, transcript.speakers, labels),
    )
