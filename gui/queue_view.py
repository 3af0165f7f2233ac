"""The queue table: progress bars, multi-row selection, stretchable file names."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from gui.progress_delegate import ProgressDelegate
from gui.queue_model import Column, QueueModel


class QueueView(QTableView):
    """Shows a `QueueModel`; knows which jobs are selected."""

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegateForColumn(Column.PROGRESS, ProgressDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.STATUS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.PROGRESS, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(Column.NAME, 240)
        self.setColumnWidth(Column.PROGRESS, 140)
        self.queue_model = model

    def selected_ids(self) -> list[str]:
        """Ids of the selected jobs, top to bottom."""
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [job_id for row in rows if (job_id := self.queue_model.job_id(row))]

    def current_id(self) -> str | None:
        """The job of the current row (the one whose transcript is shown)."""
        index = self.currentIndex()
        return self.queue_model.job_id(index.row()) if index.isValid() else None

    def select_job(self, job_id: str) -> None:
        """Make `job_id` the current, only selected row."""
        row = self.queue_model.row_of(job_id)
        if row >= 0:
            # Not selectRow(): that reads the keyboard's modifiers (a held Ctrl toggles).
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.selectionModel().setCurrentIndex(self.queue_model.index(row, 0), flags)
