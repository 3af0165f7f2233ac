"""JSON (.json): the transcript itself, as `Transcript.save` writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.export import ExportOptions
    from engine.transcript import Transcript


def render(transcript: Transcript, options: ExportOptions) -> str:
    """The transcript's JSON; the options do not apply (names and edits are in it already)."""
    return transcript.to_json()
