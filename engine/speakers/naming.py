"""Speakers after a re-cluster: numbered as a fresh transcript, names carried by overlap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from engine.transcript import PALETTE_SIZE, Sentence, Speaker


def renumber(labels: Sequence[int]) -> list[int]:
    """Cluster ids → 0, 1, … in order of first appearance, as `Transcript.from_worker_result`."""
    numbering: dict[int, int] = {}
    for label in labels:
        numbering.setdefault(label, len(numbering))
    return [numbering[label] for label in labels]


def carry_names(
    old_sentences: Sequence[Sentence], old_speakers: Sequence[Speaker], new_labels: Sequence[int]
) -> list[Speaker]:
    """The new speakers (0..max label), named after the old speakers they share most with.

    Pairs of (new, old) speaker are taken by shared speech (sentence duration), largest
    first, one to one: each old name goes to the new speaker holding most of its speech,
    unless that new speaker already took a name with more shared speech; then to the next.
    Colours follow the index, as in a fresh transcript, so that going back to the old count
    gives back the old transcript exactly.
    """
    overlap: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for sentence, new in zip(old_sentences, new_labels, strict=True):
        weight = max(1, sentence.end_ms - sentence.start_ms)  # zero-length sentences still vote
        if sentence.speaker is not None:
            overlap[new][sentence.speaker] += weight
    # Largest shared speech first, one to one: a name lands where most of its speech went.
    candidates = sorted(
        ((weight, new, old) for new, row in overlap.items() for old, weight in row.items()),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    names = {s.index: s.name for s in old_speakers}
    taken_old: set[int] = set()
    given: dict[int, str | None] = {}
    for _, new, old in candidates:
        if new not in given and old not in taken_old:
            given[new] = names.get(old)
            taken_old.add(old)
    count = max(new_labels, default=-1) + 1
    return [Speaker(i, given.get(i), i % PALETTE_SIZE) for i in range(count)]


def with_labels(sentences: Sequence[Sentence], labels: Sequence[int]) -> list[Sentence]:
    """The sentences with these speaker indices."""
    return [replace(s, speaker=label) for s, label in zip(sentences, labels, strict=True)]
