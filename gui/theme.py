"""Light and dark palettes on the Fusion style (or the platform's own look for "system")."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_DARK = {
    QPalette.ColorRole.Window: "#2b2b2e",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e21",
    QPalette.ColorRole.AlternateBase: "#3a3a40",
    QPalette.ColorRole.ToolTipBase: "#3a3a40",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8a8a8a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#35353a",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Link: "#6cb4ff",
    QPalette.ColorRole.Highlight: "#2f6fc0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Mid: "#505058",
    QPalette.ColorRole.Dark: "#19191b",
    QPalette.ColorRole.Light: "#48484f",
}


def dark_palette() -> QPalette:
    """A dark palette with disabled text dimmed."""
    palette = QPalette()
    for role, color in _DARK.items():
        palette.setColor(role, QColor(color))
    dim = QColor("#7a7a7a")
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, dim)
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply "light", "dark" or "system" (the platform default) to `app`."""
    if theme not in ("light", "dark"):
        return
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    palette = dark_palette() if theme == "dark" else app.style().standardPalette()
    app.setPalette(palette)
