"""The UI speaks Simplified Chinese or English, from the setting or the system locale."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from gui import i18n
from gui.queue_model import Column


@pytest.fixture
def language(qapp):
    """Install a UI language for one test, and remove it afterwards."""
    installed = []

    def install(code: str) -> None:
        installed.extend(i18n.install(qapp, code))

    yield install
    for translator in installed:
        QApplication.removeTranslator(translator)
    QLocale.setDefault(QLocale("en"))


def test_compiled_translations_exist_for_both_languages():
    for code in ("zh_CN", "en"):
        assert (i18n.translations_dir() / f"funscribe_{code}.qm").is_file()


def test_the_language_comes_from_the_setting_or_else_the_system_locale():
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    german = QLocale(QLocale.Language.German)
    assert i18n.pick_language("", chinese) == "zh_CN"
    assert i18n.pick_language("", german) == "en"
    assert i18n.pick_language("en", chinese) == "en"
    assert i18n.pick_language("zh_CN", german) == "zh_CN"


def test_in_chinese_the_window_labels_its_actions_and_columns_in_chinese(language, make_window):
    language("zh_CN")
    window = make_window()

    assert window.toolbar_actions.add_files.text() == "添加文件…"
    header = window.queue_model.headerData(Column.NAME, Qt.Orientation.Horizontal, 0)
    assert header == "文件"
    assert "工作进程" in window.status_line.workers_label.text()


def test_english_counts_read_as_singular_and_plural(language, make_window, saved_session):
    language("en")
    ids = saved_session(done=1)
    window = make_window()
    window.queue.select_job(ids[0])
    view = window.transcript

    view.search.setText("good morning")
    assert view.match_label.text() == "1 match"
    view.search.setText("budget")
    assert view.match_label.text() == "2 matches"


def test_in_chinese_the_settings_dialog_says_when_changes_apply(language, private_settings):
    from PySide6.QtWidgets import QLabel

    from gui.settings_dialog import SettingsDialog

    language("zh_CN")
    dialog = SettingsDialog(private_settings)

    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("完成当前文件后重新启动" in text for text in texts), texts


def test_in_chinese_the_player_bar_and_undo_speak_chinese(language, make_window):
    language("zh_CN")
    window = make_window()

    assert window.toolbar_actions.undo.text() == "撤销"
    assert window.transcript.player_bar.follow.text() == "跟随播放"
    assert window.transcript.actions_.join.text() == "与下一句合并"
