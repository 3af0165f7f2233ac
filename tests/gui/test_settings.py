"""Typed settings over QSettings, private to each test."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from gui.engine_config import job_options, pool_config
from gui.settings import MODELS_ENV, Key, Settings


def test_unset_keys_read_as_their_typed_defaults(private_settings):
    assert private_settings.value(Key.WORKERS) == 0
    assert private_settings.value(Key.DIARIZE) is True
    assert private_settings.value(Key.EXPORT_FORMATS) == ["srt", "txt"]
    assert private_settings.value(Key.LANGUAGE) == ""


def test_values_come_back_with_their_types_from_a_fresh_settings_object(private_settings):
    private_settings.set_value(Key.WORKERS, 3)
    private_settings.set_value(Key.DIARIZE, False)
    private_settings.set_value(Key.EXPORT_FORMATS, ["vtt", "json"])
    private_settings.sync()

    fresh = Settings()

    assert fresh.value(Key.WORKERS) == 3
    assert fresh.value(Key.DIARIZE) is False
    assert fresh.value(Key.EXPORT_FORMATS) == ["vtt", "json"]


def test_settings_are_written_to_the_private_test_folder(private_settings, tmp_path):
    private_settings.set_value(Key.HOTWORDS, "FunScribe")
    private_settings.sync()
    store = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "FunScribe", "FunScribe"
    )
    assert store.fileName().startswith(str(tmp_path))


def test_the_models_environment_variable_wins_over_the_preset(private_settings, monkeypatch):
    assert "--asr" in pool_config(private_settings).model_args
    monkeypatch.setenv(MODELS_ENV, "/models/tiny")

    config = pool_config(private_settings)

    assert config.models_dir == "/models/tiny"
    assert config.model_args == []


def test_a_fixed_speaker_count_and_hotwords_become_job_options(private_settings):
    assert job_options(private_settings).speakers is None
    private_settings.set_value(Key.SPEAKERS, 2)
    private_settings.set_value(Key.HOTWORDS, " FunASR ")

    options = job_options(private_settings)

    assert (options.speakers, options.hotwords, options.diarize) == (2, "FunASR", True)
