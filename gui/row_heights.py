"""Row heights of a word-wrapped text column, measured once per (text, width) and cached.

Measuring every row on each change froze the window for seconds on long transcripts. Here
a changed row re-measures only itself, a new width re-measures in small slices between
events (visible rows first), and a repaint such as the playing mark measures nothing.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

ModelIndex = QModelIndex | QPersistentModelIndex
PAD = 4  # the text delegate's margin on every side
SLICE_S = 0.006  # measuring work per event-loop turn while catching up
_TALL = 1 << 20
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)


def wrapped_height(metrics: QFontMetrics, text: str, width: int) -> int:
    """The height of `text` word-wrapped in a cell `width` wide, padding included."""
    box = QRect(0, 0, max(width - 2 * PAD, 10), _TALL)
    lines = metrics.boundingRect(box, Qt.TextFlag.TextWordWrap, text).height()
    return max(lines, metrics.height()) + 2 * PAD


class RowHeights(QObject):
    """Keeps a table's row heights fitted to the wrapped text of column `column`."""

    def __init__(self, table: QTableView, column: int) -> None:
        super().__init__(table)
        self._table = table
        self._column = column
        self._cache: dict[tuple[str, int], int] = {}
        self._next_row = 0  # rows below this have been measured at the current width
        self._width = -1
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._catch_up)
        header = table.verticalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(1)
        model = table.model()
        model.modelReset.connect(self.remeasure)
        model.dataChanged.connect(self._data_changed)
        model.rowsInserted.connect(self._rows_inserted)
        table.horizontalHeader().sectionResized.connect(self._section_resized)

    def height_of(self, text: str, width: int) -> int:
        """The height a cell of `width` needs to show `text` wrapped."""
        key = (text, width)
        height = self._cache.get(key)
        if height is None:
            height = self._cache[key] = wrapped_height(
                QFontMetrics(self._table.font()), text, width
            )
        return height

    def measure(self, first: int, last: int) -> None:
        """Fit rows `first`..`last` now."""
        model, header = self._table.model(), self._table.verticalHeader()
        width = self._table.columnWidth(self._column)
        for row in range(max(first, 0), min(last, model.rowCount() - 1) + 1):
            text = str(model.index(row, self._column).data() or "")
            height = self.height_of(text, width)
            if header.sectionSize(row) != height:
                header.resizeSection(row, height)

    @property
    def settled(self) -> bool:
        """True when every row has its measured height."""
        return self._next_row >= self._table.model().rowCount() and not self._timer.isActive()

    def remeasure(self) -> None:
        """Fit the rows on screen now and the rest over the next event-loop turns."""
        self._width = self._table.columnWidth(self._column)
        header = self._table.verticalHeader()
        header.setDefaultSectionSize(self.height_of("", self._width))
        first = max(self._table.rowAt(0), 0)
        self.measure(first, first + self._table.viewport().height() // 16)
        self._next_row = 0
        self._timer.start()

    def _catch_up(self) -> None:
        rows = self._table.model().rowCount()
        ends = time.perf_counter() + SLICE_S
        while self._next_row < rows and time.perf_counter() < ends:
            self.measure(self._next_row, self._next_row + 31)
            self._next_row += 32
        if self._next_row < rows:
            self._timer.start()

    def _data_changed(self, top: ModelIndex, bottom: ModelIndex, roles: list[int]) -> None:
        if not top.column() <= self._column <= bottom.column():
            return
        if roles and not any(role in _TEXT_ROLES for role in roles):
            return  # colours or the playing mark: the height stays
        self.measure(top.row(), bottom.row())

    def _rows_inserted(self, _parent: ModelIndex, first: int, last: int) -> None:
        self.measure(first, last)
        if self._next_row > first:
            self._next_row += last - first + 1

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if column == self._column and new != self._width:
            self.remeasure()
