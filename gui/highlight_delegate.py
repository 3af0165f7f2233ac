"""Draws sentence text with every match of the search query highlighted."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

ModelIndex = QModelIndex | QPersistentModelIndex
HIGHLIGHT = QColor(255, 214, 0)  # marker yellow
_PAD = 4


class HighlightDelegate(QStyledItemDelegate):
    """Word-wrapped rich rendering of a text cell, with search matches marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.query = ""

    def _document(self, option: QStyleOptionViewItem, index: ModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(_PAD)
        doc.setDefaultFont(option.font)
        doc.setPlainText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        doc.setTextWidth(max(option.rect.width(), 50))
        if self.query:
            marked = QTextCharFormat()
            marked.setBackground(HIGHLIGHT)
            marked.setForeground(QColor("black"))  # solid marker + black reads on any theme
            cursor = doc.find(self.query)
            while not cursor.isNull():
                cursor.mergeCharFormat(marked)
                cursor = doc.find(self.query, cursor)
        font = index.data(Qt.ItemDataRole.FontRole)
        if font is not None:
            whole = QTextCursor(doc)
            whole.select(QTextCursor.SelectionType.Document)
            bold = QTextCharFormat()
            bold.setFontWeight(font.weight())
            whole.mergeCharFormat(bold)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text_rect = opt.rect
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
        context.palette.setColor(opt.palette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(QRectF(0, 0, text_rect.width(), text_rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        view = option.widget
        width = option.rect.width()
        if view is not None and hasattr(view, "columnWidth"):
            width = view.columnWidth(index.column())
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(width)
        doc = self._document(opt, index)
        return QSize(width, int(doc.size().height()))
