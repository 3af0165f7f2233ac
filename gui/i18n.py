"""UI language: our `.qm` files from resources/translations plus Qt's own, by locale."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

SUPPORTED = ("en", "zh_CN")


def resources_dir() -> Path:
    """The resources folder: beside the packages, or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def translations_dir() -> Path:
    """Where `funscribe_<lang>.qm` files live."""
    return resources_dir() / "translations"


def pick_language(setting: str, system: QLocale | None = None) -> str:
    """The setting when it names a supported language, else the system locale's match."""
    if setting in SUPPORTED:
        return setting
    locale = system or QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load the translators for `language` into `app`; returns them (keep them alive)."""
    QLocale.setDefault(QLocale(language))
    loaded: list[QTranslator] = []
    # English has a file too: it holds the plural forms ("1 file", "2 files").
    ours = QTranslator(app)
    if ours.load(f"funscribe_{language}", str(translations_dir())):
        loaded.append(ours)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language != "en" and qt.load(f"qtbase_{language}", qt_dir):
        loaded.append(qt)
    for translator in loaded:
        app.installTranslator(translator)
    return loaded
