"""Controlled speaker embeddings: synthetic voices (a direction plus noise) in a transcript."""

from __future__ import annotations

import numpy as np

from engine.speakers.embeddings import SpeakerEmbeddings
from engine.transcript import Sentence, Speaker, Transcript

MODEL = "sha256:model-a"
DIM = 32


def voice(which: int, seed: int, n: int = 12, noise: float = 0.15) -> np.ndarray:
    """`n` window embeddings of synthetic voice `which` (same `which`: same voice)."""
    centre = np.random.default_rng(100 + which).standard_normal(DIM)
    jitter = np.random.default_rng(seed).standard_normal((n, DIM)) * noise
    return (centre + jitter).astype(np.float32)


def voice_file(
    voices: list[np.ndarray], model: str = MODEL
) -> tuple[Transcript, SpeakerEmbeddings]:
    """One 10 s sentence per voice (speaker i), with that voice's windows inside it."""
    sentences, vectors, windows = [], [], []
    for index, vecs in enumerate(voices):
        start = index * 10.0
        sentences.append(Sentence(int(start * 1000), int((start + 9.9) * 1000), "x", index))
        starts = start + np.linspace(0, 8.3, len(vecs))
        windows.append(np.stack([starts, starts + 1.5], axis=1))
        vectors.append(vecs)
    speakers = [Speaker(i, None, i) for i in range(len(voices))]
    transcript = Transcript("f.wav", len(voices) * 10_000, {}, sentences, speakers)
    return transcript, SpeakerEmbeddings(np.concatenate(vectors), np.concatenate(windows), model)
