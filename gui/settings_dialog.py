"""The settings dialog: models, device, workers, speakers, hotwords, output, language."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.models.presets import LOCAL, PRESETS
from engine.pool.sizing import default_threads, default_workers
from gui.settings import MODELS_ENV, Key, Settings

LANGUAGES = (("", "System"), ("en", "English"), ("zh_CN", "简体中文"))


class SettingsDialog(QDialog):
    """Edits the stored settings; `accept` writes them back."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        s = settings

        self.preset_combo = QComboBox()
        for key, preset in PRESETS.items():
            title = self.tr("Local folders (asr, vad, punc, spk)") if key == LOCAL else preset.title
            self.preset_combo.addItem(title, key)
        self.preset_combo.setCurrentIndex(
            max(self.preset_combo.findData(s.value(Key.MODEL_PRESET)), 0)
        )
        self.models_edit = QLineEdit(s.value(Key.MODELS_DIR))
        self.models_edit.setPlaceholderText(self.tr("Folder holding asr, vad, punc, spk"))
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        models = QVBoxLayout()
        models.addWidget(self.preset_combo)
        models.addLayout(self._folder_row(self.models_edit, self.tr("Model folder")))
        if os.environ.get(MODELS_ENV):
            note = self.tr("In use now: %1 (from $%2)")
            models.addWidget(
                QLabel(note.replace("%1", os.environ[MODELS_ENV]).replace("%2", MODELS_ENV))
            )

        self.device_combo = QComboBox()
        self.device_combo.setEditable(True)
        self.device_combo.addItems(["cpu", "cuda", "cuda:0", "cuda:1", "mps"])
        self.device_combo.setCurrentText(s.value(Key.DEVICE))

        workers = default_workers()
        self.workers_spin = QSpinBox()
        self.workers_spin.setRange(0, 32)
        self.workers_spin.setSpecialValueText(self.tr("Automatic (%1)").replace("%1", str(workers)))
        self.workers_spin.setValue(s.value(Key.WORKERS))
        self.threads_spin = QSpinBox()
        self.threads_spin.setRange(0, 128)
        auto_threads = default_threads(workers)
        self.threads_spin.setSpecialValueText(
            self.tr("Automatic (%1)").replace("%1", str(auto_threads))
        )
        self.threads_spin.setValue(s.value(Key.THREADS))

        self.diarize_box = QCheckBox(self.tr("Identify speakers"))
        self.diarize_box.setChecked(s.value(Key.DIARIZE))
        self.speakers_spin = QSpinBox()
        self.speakers_spin.setRange(0, 20)
        self.speakers_spin.setSpecialValueText(self.tr("Automatic"))
        self.speakers_spin.setValue(s.value(Key.SPEAKERS))
        self.diarize_box.toggled.connect(self.speakers_spin.setEnabled)
        self.speakers_spin.setEnabled(self.diarize_box.isChecked())
        speakers = QHBoxLayout()
        speakers.addWidget(self.diarize_box)
        speakers.addWidget(self.speakers_spin, 1)

        self.voice_spin = QDoubleSpinBox()
        self.voice_spin.setRange(0.0, 1.0)
        self.voice_spin.setSingleStep(0.05)
        self.voice_spin.setDecimals(2)
        self.voice_spin.setValue(s.value(Key.VOICE_THRESHOLD))
        self.voice_spin.setToolTip(
            self.tr(
                "A speaker whose voice has at least this similarity to a voice in the library"
                " gets its name suggested"
            )
        )

        self.hotwords_edit = QLineEdit(s.value(Key.HOTWORDS))
        self.hotwords_edit.setPlaceholderText(self.tr("Names and terms, separated by spaces"))
        self.output_edit = QLineEdit(s.value(Key.OUTPUT_DIR))
        self.output_edit.setPlaceholderText(self.tr("Next to each source file"))

        self.language_combo = QComboBox()
        for code, name in LANGUAGES:
            self.language_combo.addItem(self.tr("System") if not code else name, code)
        self.language_combo.setCurrentIndex(
            max(self.language_combo.findData(s.value(Key.LANGUAGE)), 0)
        )
        self.theme_combo = QComboBox()
        for code, name in (
            ("system", self.tr("System")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme_combo.addItem(name, code)
        self.theme_combo.setCurrentIndex(max(self.theme_combo.findData(s.value(Key.THEME)), 0))

        form = QFormLayout()
        form.addRow(self.tr("Models:"), models)
        form.addRow(self.tr("Device:"), self.device_combo)
        form.addRow(self.tr("Workers:"), self.workers_spin)
        form.addRow(self.tr("Threads per worker:"), self.threads_spin)
        form.addRow(self.tr("Speakers:"), speakers)
        form.addRow(self.tr("Voice match from:"), self.voice_spin)
        form.addRow(self.tr("Hotwords:"), self.hotwords_edit)
        form.addRow(
            self.tr("Output folder:"),
            self._folder_row(self.output_edit, self.tr("Output folder")),
        )
        form.addRow(self.tr("Language:"), self.language_combo)
        form.addRow(self.tr("Theme:"), self.theme_combo)
        hint = QLabel(
            self.tr(
                "Model, device and worker changes apply at once: each worker restarts after"
                " its current file. The language changes after a restart."
            )
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(hint)
        general_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, self.tr("General"))
        # The downloadable presets; the Models page lives in gui/models_page.py.
        from gui.models_page import ModelsPage

        self.models_page = ModelsPage(parent=self)
        self.tabs.addTab(self.models_page, self.tr("Models"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._preset_changed()

    def _folder_row(self, edit: QLineEdit, title: str) -> QHBoxLayout:
        def browse() -> None:
            folder = QFileDialog.getExistingDirectory(self, title, edit.text())
            if folder:
                edit.setText(folder)

        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(browse)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def _preset_changed(self) -> None:
        self.models_edit.setEnabled(self.preset_combo.currentData() == LOCAL)

    def done(self, result: int) -> None:
        """Closing, either way, stops a running model download (it resumes next time)."""
        self.models_page.shutdown()
        super().done(result)

    def accept(self) -> None:
        s = self._settings
        s.set_value(Key.MODEL_PRESET, self.preset_combo.currentData())
        s.set_value(Key.MODELS_DIR, self.models_edit.text().strip())
        s.set_value(Key.DEVICE, self.device_combo.currentText().strip() or "cpu")
        s.set_value(Key.WORKERS, self.workers_spin.value())
        s.set_value(Key.THREADS, self.threads_spin.value())
        s.set_value(Key.DIARIZE, self.diarize_box.isChecked())
        s.set_value(Key.SPEAKERS, self.speakers_spin.value())
        s.set_value(Key.VOICE_THRESHOLD, self.voice_spin.value())
        s.set_value(Key.HOTWORDS, self.hotwords_edit.text().strip())
        s.set_value(Key.OUTPUT_DIR, self.output_edit.text().strip())
        s.set_value(Key.LANGUAGE, self.language_combo.currentData())
        s.set_value(Key.THEME, self.theme_combo.currentData())
        s.sync()
        super().accept()
