"""A row of speaker buttons above the transcript: click to rename, menu to merge."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from gui.speaker_palette import is_dark, speaker_color
from gui.transcript_model import TranscriptModel, speaker_label


class SpeakerBar(QWidget):
    """One coloured button per speaker of the shown transcript."""

    renameRequested = Signal(int, str)  # speaker index, new name
    mergeRequested = Signal(int, int)  # keep, remove
    reclusterRequested = Signal()  # "Change speakers…": another speaker count
    saveVoiceRequested = Signal(int)  # speaker index: save its voice to the library

    def __init__(self, model: TranscriptModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._label = QLabel(self.tr("Speakers:"))
        self._layout.addWidget(self._label)
        self._layout.addStretch(1)
        self.change_button = QToolButton(self)
        self.change_button.setText(self.tr("Change speakers…"))
        self.change_button.setToolTip(
            self.tr("Find the speakers again with another count, without transcribing again")
        )
        self.change_button.clicked.connect(self.reclusterRequested)
        self._layout.addWidget(self.change_button)
        self.buttons: dict[int, QToolButton] = {}
        model.modelReset.connect(self.refresh)
        model.speakersChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the buttons from the model's transcript."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        transcript = self._model.transcript
        speakers = sorted(transcript.speakers, key=lambda s: s.index) if transcript else []
        self._label.setVisible(bool(speakers))
        dark = is_dark(QApplication.palette())
        for speaker in speakers:
            name = speaker_label(transcript, speaker.index)  # type: ignore[arg-type]
            button = QToolButton(self)
            button.setText(name)
            button.setToolTip(self.tr("Click to rename; use the arrow to merge"))
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            color = speaker_color(speaker.color_slot, dark).name()
            button.setStyleSheet(f"QToolButton {{ color: {color}; font-weight: bold; }}")
            button.clicked.connect(partial(self.ask_rename, speaker.index))
            menu = QMenu(button)
            menu.addAction(self.tr("Rename…"), partial(self.ask_rename, speaker.index))
            merge = menu.addMenu(self.tr("Merge into"))
            for other in speakers:
                if other.index != speaker.index:
                    target = speaker_label(transcript, other.index)  # type: ignore[arg-type]
                    merge.addAction(
                        target, partial(self.mergeRequested.emit, other.index, speaker.index)
                    )
            merge.setEnabled(len(speakers) > 1)
            menu.addAction(
                self.tr("Save voice to library…"),
                partial(self.saveVoiceRequested.emit, speaker.index),
            )
            button.setMenu(menu)
            # Before the stretch and the "Change speakers…" button.
            self._layout.insertWidget(self._layout.count() - 2, button)
            self.buttons[speaker.index] = button
        self.setVisible(bool(speakers))

    def ask_rename(self, index: int) -> None:
        """Prompt for a new name of speaker `index`."""
        transcript = self._model.transcript
        if transcript is None:
            return
        current = speaker_label(transcript, index)
        name, ok = QInputDialog.getText(
            self, self.tr("Rename speaker"), self.tr("Name:"), QLineEdit.EchoMode.Normal, current
        )
        if ok and name.strip() and name.strip() != current:
            self.renameRequested.emit(index, name.strip())

    def changeEvent(self, event: QEvent) -> None:
        # A theme switch changes which shade of each speaker colour reads best.
        if event.type() == event.Type.PaletteChange:
            self.refresh()
        super().changeEvent(event)
