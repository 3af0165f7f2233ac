"""The settings dialog reads and writes the typed settings."""

from __future__ import annotations

import pytest

from gui.settings import Key
from gui.settings_dialog import SettingsDialog


def test_accepting_the_dialog_stores_every_choice(qtbot, private_settings):
    dialog = SettingsDialog(private_settings)
    qtbot.addWidget(dialog)
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("local"))
    dialog.models_edit.setText("/models/mine")
    dialog.workers_spin.setValue(3)
    dialog.threads_spin.setValue(2)
    dialog.speakers_spin.setValue(2)
    dialog.hotwords_edit.setText("FunScribe Paraformer")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))

    dialog.accept()

    s = private_settings
    assert (s.value(Key.MODEL_PRESET), s.value(Key.MODELS_DIR)) == ("local", "/models/mine")
    assert (s.value(Key.WORKERS), s.value(Key.THREADS), s.value(Key.SPEAKERS)) == (3, 2, 2)
    assert s.value(Key.HOTWORDS) == "FunScribe Paraformer"
    assert (s.value(Key.LANGUAGE), s.value(Key.THEME)) == ("zh_CN", "dark")
    assert s.models_dir() == "/models/mine"


def test_zero_workers_and_threads_read_as_automatic_with_the_pool_default(qtbot, private_settings):
    dialog = SettingsDialog(private_settings)
    qtbot.addWidget(dialog)

    assert dialog.workers_spin.value() == 0
    assert dialog.workers_spin.text().startswith("Automatic (")
    assert not dialog.models_edit.isEnabled()  # the default is a preset, not local folders


@pytest.mark.slow
def test_accepted_settings_restart_the_workers_under_them(
    make_window, model_dir, qtbot, monkeypatch
):
    window = make_window(model_dir, workers=1)
    window.pool.start()
    qtbot.waitUntil(lambda: window.pool.ready_count == 1, timeout=60_000)
    first = set(window.pool.worker_pids())

    def change_and_accept(dialog):
        window.settings.set_value(Key.WORKERS, 2)
        return SettingsDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", change_and_accept)
    window.edit_settings()

    qtbot.waitUntil(lambda: window.pool.ready_count == 2, timeout=60_000)
    assert not set(window.pool.worker_pids()) & first  # the idle worker restarted too
