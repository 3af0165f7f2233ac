"""Which library voice each speaker of a transcript sounds like: suggestions, never edits.

A speaker's voice is the mean of the normalised embeddings of the windows inside its
sentences; it is compared by cosine similarity with the library's voices of the same
speaker model. A suggestion needs a similarity of at least the threshold, and each library
voice is suggested for one speaker at most (the most similar).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.speakers.embeddings import SpeakerEmbeddings
from engine.speakers.library import Voice, mean_of_units
from engine.transcript import Transcript

# Chosen on the distributions of what is compared, through the real pipeline (worker, FSMN-VAD,
# FunASR's windows) with the voice-separating tiny CAM++ (engine/testing/voice_campplus.py):
# six voices it never trained on, one voice a file, two files a voice with different lines
# (tests/engine/speakers/test_voices_pipeline.py). Same voice: 0.951 to 0.990 (6 pairs);
# different voices: -0.399 to 0.621 (30 pairs). With 14 unseen voices (`python -m
# bench.voice_threshold`): same 0.938 to 0.990 (14 pairs, median 0.974), different -0.603 to
# 0.691 (182 pairs, median -0.006, 95% below 0.518). 0.75 lies in that gap, nearer the
# different side: a real recording varies more than a synthetic voice, and a suggestion is
# only shown. The real CAM++ could not be measured here (no model hub); users can change the
# value in Settings.
DEFAULT_THRESHOLD = 0.75


@dataclass(frozen=True)
class Suggestion:
    """Speaker `speaker` sounds like library voice `voice` (cosine `similarity`)."""

    speaker: int
    voice: Voice
    similarity: float


def speaker_windows(transcript: Transcript, embeddings: SpeakerEmbeddings) -> dict[int, np.ndarray]:
    """Speaker index → indices of the windows whose middle falls in one of its sentences."""
    spoken = sorted(
        (s.start_ms, s.end_ms, s.speaker) for s in transcript.sentences if s.speaker is not None
    )
    middles = embeddings.windows.mean(axis=1) * 1000.0
    owner = np.full(len(middles), -1, dtype=np.int64)
    if spoken:
        starts, ends, speakers = (np.array(column) for column in zip(*spoken, strict=True))
        # The last sentence starting at or before each middle (sentences do not overlap).
        at = np.searchsorted(starts, middles, side="right") - 1
        inside = (at >= 0) & (middles <= ends[np.maximum(at, 0)])
        owner[inside] = speakers[at[inside]]
    return {s.index: np.flatnonzero(owner == s.index) for s in transcript.speakers}


def speaker_vectors(
    transcript: Transcript, embeddings: SpeakerEmbeddings, speaker: int
) -> np.ndarray:
    """The embeddings of one speaker's windows (what the library saves); may be empty."""
    indices = speaker_windows(transcript, embeddings).get(speaker, np.empty(0, dtype=np.int64))
    return embeddings.vectors[indices]


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors (0 for a zero vector)."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm > 0 else 0.0


def suggest(
    transcript: Transcript,
    embeddings: SpeakerEmbeddings | None,
    voices: list[Voice],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Suggestion]:
    """Suggested names for the transcript's speakers, by speaker index."""
    if embeddings is None:
        return []
    voices = [v for v in voices if v.model == embeddings.model]
    pairs: list[Suggestion] = []
    for speaker, indices in speaker_windows(transcript, embeddings).items():
        if len(indices) == 0:
            continue
        centre = mean_of_units(embeddings.vectors[indices])
        for voice in voices:
            similarity = cosine(centre, voice.mean)
            if similarity >= threshold:
                pairs.append(Suggestion(speaker, voice, similarity))
    chosen: dict[int, Suggestion] = {}
    used: set[str] = set()
    for pair in sorted(pairs, key=lambda p: -p.similarity):
        if pair.speaker not in chosen and pair.voice.id not in used:
            chosen[pair.speaker] = pair
            used.add(pair.voice.id)
    return [chosen[k] for k in sorted(chosen)]
