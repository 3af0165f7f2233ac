"""Choose what to export, in which formats, and where; the choice is remembered."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gui.exporting import available_formats
from gui.settings import Key, Settings


class ExportDialog(QDialog):
    """Formats (check boxes), folder, and selected-or-all; stores them in the settings."""

    def __init__(
        self, settings: Settings, has_selection: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export transcripts"))
        self._settings = settings
        chosen = set(settings.value(Key.EXPORT_FORMATS))
        self.format_boxes: dict[str, QCheckBox] = {}
        formats_row = QHBoxLayout()
        for fmt in available_formats():
            box = QCheckBox(fmt.upper())
            box.setChecked(fmt in chosen)
            box.toggled.connect(self._update_ok)
            self.format_boxes[fmt] = box
            formats_row.addWidget(box)
        formats_row.addStretch(1)

        self.selected_radio = QRadioButton(self.tr("Selected transcript"))
        self.finished_radio = QRadioButton(self.tr("All finished transcripts"))
        scope = QButtonGroup(self)
        scope.addButton(self.selected_radio)
        scope.addButton(self.finished_radio)
        self.selected_radio.setEnabled(has_selection)
        use_selected = has_selection and settings.value(Key.EXPORT_SCOPE) == "selected"
        (self.selected_radio if use_selected else self.finished_radio).setChecked(True)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.selected_radio)
        scope_row.addWidget(self.finished_radio)
        scope_row.addStretch(1)

        self.folder_edit = QLineEdit(settings.value(Key.OUTPUT_DIR))
        self.folder_edit.setPlaceholderText(self.tr("Next to each source file"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Formats:"), formats_row)
        form.addRow(self.tr("Export:"), scope_row)
        form.addRow(self.tr("Folder:"), folder_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def formats(self) -> list[str]:
        """The checked formats."""
        return [fmt for fmt, box in self.format_boxes.items() if box.isChecked()]

    def folder(self) -> str:
        """The chosen folder ("" means next to each source)."""
        return self.folder_edit.text().strip()

    def selected_only(self) -> bool:
        """True to export only the selected transcript."""
        return self.selected_radio.isChecked()

    def accept(self) -> None:
        self._settings.set_value(Key.EXPORT_FORMATS, self.formats())
        self._settings.set_value(Key.OUTPUT_DIR, self.folder())
        self._settings.set_value(
            Key.EXPORT_SCOPE, "selected" if self.selected_only() else "finished"
        )
        super().accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export folder"), self.folder())
        if folder:
            self.folder_edit.setText(folder)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.formats()))
