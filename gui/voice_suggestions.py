"""Suggested speaker names from the voice library: shown, never applied until accepted.

The window's banner sits under the speaker bar (gui/window_voices.py): `show_for` when a
transcript is shown, `accepted` goes to the session's rename (one undoable edit). A dismissed
suggestion stays away for that file, speaker and voice while the banner lives.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine.speakers.embeddings import SidecarError, SpeakerEmbeddings, sidecar_path
from engine.speakers.library import LibraryError, VoiceLibrary
from engine.speakers.suggest import DEFAULT_THRESHOLD, Suggestion, suggest
from engine.transcript import Transcript


def suggestions_for(
    transcript: Transcript,
    transcript_path: Path,
    library: VoiceLibrary,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Suggestion]:
    """Suggestions for a saved transcript; none without kept embeddings or a readable library."""
    try:
        embeddings = SpeakerEmbeddings.load(sidecar_path(transcript_path))
        voices = library.voices(embeddings.model)
    except (SidecarError, LibraryError):
        return []
    found = suggest(transcript, embeddings, voices, threshold)
    # A speaker already called by that name needs no suggestion.
    return [s for s in found if transcript.speaker(s.speaker).name != s.voice.name]


class SuggestionBanner(QWidget):
    """One row per suggestion: "Speaker 2 sounds like Ada (0.91)" [Use name] [Dismiss]."""

    accepted = Signal(int, str)  # speaker index, name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dismissed: set[tuple[str, int, str]] = set()  # (file, speaker, voice id)
        self._scope = ""
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.rows: list[QWidget] = []
        self.setVisible(False)

    def show_for(
        self,
        transcript: Transcript,
        transcript_path: Path,
        library: VoiceLibrary,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        """Show the suggestions for this transcript (hidden when there are none)."""
        found = suggestions_for(transcript, transcript_path, library, threshold)
        self.show_suggestions(transcript, found, str(transcript_path))

    def show_suggestions(
        self, transcript: Transcript, found: list[Suggestion], scope: str = ""
    ) -> None:
        """Show these suggestions (`scope` names the file, whose dismissals stay away)."""
        self.clear()
        self._scope = scope
        for suggestion in found:
            if (scope, suggestion.speaker, suggestion.voice.id) not in self._dismissed:
                self.rows.append(self._row(transcript, suggestion))
        for row in self.rows:
            self._layout.addWidget(row)
        self.setVisible(bool(self.rows))

    def clear(self) -> None:
        """Show no suggestions."""
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        self.setVisible(False)

    def _row(self, transcript: Transcript, suggestion: Suggestion) -> QWidget:
        row = QWidget()
        text = self.tr("{0} sounds like {1} ({2:.2f})").format(
            transcript.speaker_name(suggestion.speaker),
            suggestion.voice.name,
            suggestion.similarity,
        )
        use = QPushButton(self.tr("Use name"))
        dismiss = QPushButton(self.tr("Dismiss"))
        use.clicked.connect(lambda: self._accept(row, suggestion))
        dismiss.clicked.connect(lambda: self._dismiss(row, suggestion))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(text), 1)
        layout.addWidget(use)
        layout.addWidget(dismiss)
        return row

    def _accept(self, row: QWidget, suggestion: Suggestion) -> None:
        self._remove(row)
        self.accepted.emit(suggestion.speaker, suggestion.voice.name)

    def _dismiss(self, row: QWidget, suggestion: Suggestion) -> None:
        self._dismissed.add((self._scope, suggestion.speaker, suggestion.voice.id))
        self._remove(row)

    def _remove(self, row: QWidget) -> None:
        if row in self.rows:
            self.rows.remove(row)
            row.deleteLater()
        self.setVisible(bool(self.rows))
