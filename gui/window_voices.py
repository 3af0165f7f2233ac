"""The voice library in the main window: its dialog, name suggestions over the shown
transcript, and saving a speaker's voice from the speaker bar.

Suggestions are only shown: a name is used when the user clicks "Use name", and then as an
ordinary rename of the session (one undoable step). They are looked up when another
transcript is shown, when the shown one's speakers change (a re-cluster, merge or rename) and
when the library or the threshold changes, not on text edits: each look-up reads the
transcript's embeddings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QVBoxLayout, QWidget

from engine.speakers.library import LibraryError, Voice, VoiceLibrary
from engine.transcript import Transcript
from gui.session import Session
from gui.settings import Key, Settings
from gui.transcript_model import speaker_label
from gui.transcript_view import TranscriptView
from gui.voice_library_page import VoiceLibraryPage, resave_speaker_voice, save_speaker_voice
from gui.voice_suggestions import SuggestionBanner


class VoiceLibraryDialog(QDialog):
    """The library page in a window of its own (not modal: the transcript stays usable)."""

    def __init__(self, library: VoiceLibrary, threshold: float, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Voice library"))
        self.page = VoiceLibraryPage(library, threshold=threshold)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        self.resize(520, 360)


class WindowVoices(QObject):
    """Owns the library of the session's data folder and its place in the window."""

    libraryChanged = Signal()

    def __init__(
        self, session: Session, view: TranscriptView, settings: Settings, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._view = view
        self._settings = settings
        self._window = parent
        self.library = VoiceLibrary.in_data_dir(session.store.folder)
        self.dialog: VoiceLibraryDialog | None = None
        self.banner = SuggestionBanner(view)
        view.add_banner(self.banner)
        self.banner.accepted.connect(self._use_name)
        # Another transcript shown, the shown one replaced, or its speakers changed (a
        # re-cluster, a merge, a rename: a speaker now called by the voice's name needs none).
        view.model.modelReset.connect(self.refresh)
        view.model.speakersChanged.connect(self.refresh)
        view.speakers.saveVoiceRequested.connect(self.ask_save)
        self.libraryChanged.connect(self.refresh)

    def threshold(self) -> float:
        """The similarity from which a saved voice is suggested (Settings)."""
        return float(self._settings.value(Key.VOICE_THRESHOLD))

    def refresh(self) -> None:
        """Look up suggestions for the transcript on screen again."""
        job_id = self._view.model.job_id
        transcript = self._session.transcript(job_id) if job_id else None
        if job_id is None or transcript is None:
            self.banner.clear()
            return
        path = self._session.store.transcript_file(job_id)
        self.banner.show_for(transcript, path, self.library, self.threshold())

    def show_library(self) -> VoiceLibraryDialog:
        """Open (or raise) the library dialog."""
        if self.dialog is None:
            self.dialog = VoiceLibraryDialog(self.library, self.threshold(), self._window)
            self.dialog.page.changed.connect(self.libraryChanged)
        self.dialog.page.set_threshold(self.threshold())
        self.dialog.page.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def save_voice(self, speaker: int, name: str) -> Voice | None:
        """Save speaker `speaker` of the shown transcript as a new voice called `name`."""
        return self._store(lambda t, path: save_speaker_voice(self.library, t, path, speaker, name))

    def merge_voice(self, speaker: int, voice_id: str) -> Voice | None:
        """Merge speaker `speaker`'s windows into the saved voice `voice_id`."""
        return self._store(
            lambda t, path: resave_speaker_voice(self.library, t, path, speaker, voice_id)
        )

    def ask_save(self, speaker: int) -> None:
        """Ask whether to save the speaker as a new voice or into a saved one, then do it."""
        job_id = self._view.model.job_id
        transcript = self._session.transcript(job_id) if job_id else None
        if transcript is None:
            return
        label = speaker_label(transcript, speaker)
        try:
            voices = self.library.voices()
        except LibraryError as exc:
            QMessageBox.warning(self._window, self.tr("Voice library"), str(exc))
            return
        new = self.tr("New voice")
        choices = [new, *(self.tr("Add to %1").replace("%1", v.name) for v in voices)]
        question = self.tr("Save %1's voice as:").replace("%1", label)
        choice, ok = QInputDialog.getItem(
            self._window, self.tr("Save voice"), question, choices, 0, False
        )
        if not ok:
            return
        if choice != new:
            self.merge_voice(speaker, voices[choices.index(choice) - 1].id)
            return
        name, ok = QInputDialog.getText(
            self._window, self.tr("Save voice"), self.tr("Name:"), text=label
        )
        if ok and name.strip():
            self.save_voice(speaker, name)

    def _store(self, save: Callable[[Transcript, Path], Voice]) -> Voice | None:
        job_id = self._view.model.job_id
        transcript = self._session.transcript(job_id) if job_id else None
        if job_id is None or transcript is None:
            return None
        try:
            voice = save(transcript, self._session.store.transcript_file(job_id))
        except LibraryError as exc:
            QMessageBox.warning(self._window, self.tr("Voice library"), str(exc))
            return None
        if self.dialog is not None:
            self.dialog.page.refresh()
        self.libraryChanged.emit()
        return voice

    def _use_name(self, speaker: int, name: str) -> None:
        job_id = self._view.model.job_id
        if job_id is not None:
            self._session.rename_speaker(job_id, speaker, name)
