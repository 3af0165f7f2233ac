"""Draws sentence text with every match of the search query highlighted."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetrics,
    QPainter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from gui.row_heights import PAD, wrapped_height

ModelIndex = QModelIndex | QPersistentModelIndex
HIGHLIGHT = QColor(255, 214, 0)  # marker yellow
_WRAP = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


class HighlightDelegate(QStyledItemDelegate):
    """Word-wrapped rich rendering of a text cell, with search matches marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.query = ""
        self.editor: QLineEdit | None = None  # the open editor (split at its cursor)
        self.editor_row = -1

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            self.editor, self.editor_row = editor, index.row()
            editor.destroyed.connect(self._editor_gone)
        return editor

    def _editor_gone(self) -> None:
        self.editor, self.editor_row = None, -1

    def _document(self, option: QStyleOptionViewItem, index: ModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(PAD)
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
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if not self.query or self.query.casefold() not in text.casefold():
            # Nothing to mark: plain wrapped text, laid out as RowHeights measured it.
            painter.save()
            painter.setPen(opt.palette.color(role))
            painter.setFont(opt.font)
            inner = text_rect.adjusted(PAD, PAD, -PAD, -PAD)
            painter.drawText(inner, _WRAP, text)
            painter.restore()
            return
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
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
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        return QSize(width, wrapped_height(QFontMetrics(option.font), text, width))
