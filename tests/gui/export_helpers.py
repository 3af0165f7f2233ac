"""Drive the export dialog without showing it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from gui.export_dialog import ExportDialog


def answer_export_dialog(monkeypatch, formats: list[str], folder: Path, everything: bool = True):
    """Make the next export dialogs choose `formats` and `folder`, then press OK."""

    def exec_(dialog: ExportDialog) -> int:
        for fmt, box in dialog.format_boxes.items():
            box.setChecked(fmt in formats)
        dialog.folder_edit.setText(str(folder))
        (dialog.finished_radio if everything else dialog.selected_radio).setChecked(True)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", exec_)


def flat(path: Path) -> str:
    """A file's text with all runs of whitespace as one space (subtitles wrap lines)."""
    return " ".join(path.read_text(encoding="utf-8").split())
