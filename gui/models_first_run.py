"""First run without models: offer the download, with the Models page in a small dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from engine.models.cache import PresetState, default_cache_dir, preset_state
from engine.models.presets import LOCAL, PRESETS
from gui.models_page import ModelsPage


def models_missing(preset_key: str, models_dir: str, cache: Path | None = None) -> bool:
    """True when the chosen preset is not downloaded (and no local folder is in use)."""
    if models_dir or preset_key == LOCAL:
        return False  # the user's own folders: the worker verifies them when it starts
    preset = PRESETS.get(preset_key)
    if preset is None:
        return True
    return preset_state(preset, cache or default_cache_dir()) is not PresetState.PRESENT


class FirstRunDialog(QDialog):
    """ "FunScribe needs speech models": the Models page; accepts once a download succeeds."""

    def __init__(self, cache: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Download speech models"))
        intro = QLabel(
            self.tr(
                "FunScribe needs speech models to transcribe. Download a model set now "
                "(about 2 GB, once), or close this and choose your own model folders in "
                "Settings."
            )
        )
        intro.setWordWrap(True)
        self.page = ModelsPage(cache, self)
        self.page.downloadFinished.connect(self._download_finished)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
        self.resize(640, 300)

    def done(self, result: int) -> None:
        """Closing stops a running download (it resumes next time)."""
        self.page.shutdown()
        super().done(result)

    def _download_finished(self, key: str, ok: bool, message: str) -> None:
        if ok:
            self.accept()
