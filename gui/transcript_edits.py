"""Undoable transcript edits: each edit is stored as the slice of sentences it replaced.

An edit runs on a snapshot of the transcript; comparing snapshot and original by identity
(sentences are immutable) gives the smallest changed slice. Redo puts the new slice in,
undo puts the old one back, so undoing restores the very objects that were there.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from engine.transcript import Sentence, Speaker, Transcript


@dataclass(frozen=True)
class Patch:
    """Sentences `start`..`start + len(old)` become `new`; the speaker list changes likewise."""

    start: int
    old: tuple[Sentence, ...]
    new: tuple[Sentence, ...]
    old_speakers: tuple[Speaker, ...]
    new_speakers: tuple[Speaker, ...]

    def reversed(self) -> Patch:
        """The patch that undoes this one."""
        return Patch(self.start, self.new, self.old, self.new_speakers, self.old_speakers)

    @property
    def speakers_changed(self) -> bool:
        """True when speaker names, colours or the speaker list change."""
        return self.old_speakers != self.new_speakers

    @property
    def empty(self) -> bool:
        """True when the edit changed nothing."""
        return not self.old and not self.new and not self.speakers_changed


def make_patch(transcript: Transcript, change: Callable[[Transcript], object]) -> Patch:
    """The patch that `change` would make to `transcript` (which is left as it was)."""
    edited = transcript.snapshot()
    change(edited)
    before, after = transcript.sentences, edited.sentences
    # Identity at C speed (map over operator.is_): a long transcript is compared per edit.
    same = list(map(operator.is_, before, after))
    start = same.index(False) if False in same else len(same)
    limit = min(len(before), len(after)) - start
    same_tail = list(map(operator.is_, reversed(before), reversed(after)))[:limit]
    tail = same_tail.index(False) if False in same_tail else len(same_tail)
    return Patch(
        start,
        tuple(before[start : len(before) - tail]),
        tuple(after[start : len(after) - tail]),
        tuple(transcript.speakers),
        tuple(edited.speakers),
    )


class PatchTarget(Protocol):
    """What applies a patch to a job's transcript and tells the views (the Session)."""

    def apply_patch(self, job_id: str, patch: Patch) -> None: ...


class PatchCommand(QUndoCommand):
    """One entry on a transcript's undo stack."""

    def __init__(self, target: PatchTarget, job_id: str, patch: Patch, text: str) -> None:
        super().__init__(text)
        self._target = target
        self._job_id = job_id
        self._patch = patch

    def redo(self) -> None:
        self._target.apply_patch(self._job_id, self._patch)

    def undo(self) -> None:
        self._target.apply_patch(self._job_id, self._patch.reversed())
