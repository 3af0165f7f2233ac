"""The queue as a table: one row per pool job, in the pool's order."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from engine.pool.jobs import Job, JobState
from engine.pool.pool import WorkerPool
from engine.protocol import Stage

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    """Queue columns, left to right."""

    NAME = 0
    DURATION = 1
    STATUS = 2
    STAGE = 3
    PROGRESS = 4
    ETA = 5
    SPEAKERS = 6


JOB_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PERCENT_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3


def header_text(column: Column) -> str:
    """The translated header of `column`."""
    return {
        Column.NAME: QCoreApplication.translate("QueueModel", "File"),
        Column.DURATION: QCoreApplication.translate("QueueModel", "Duration"),
        Column.STATUS: QCoreApplication.translate("QueueModel", "Status"),
        Column.STAGE: QCoreApplication.translate("QueueModel", "Stage"),
        Column.PROGRESS: QCoreApplication.translate("QueueModel", "Progress"),
        Column.ETA: QCoreApplication.translate("QueueModel", "ETA"),
        Column.SPEAKERS: QCoreApplication.translate("QueueModel", "Speakers"),
    }[column]


def state_text(state: JobState) -> str:
    """The translated name of a job state."""
    return {
        JobState.QUEUED: QCoreApplication.translate("QueueModel", "Queued"),
        JobState.LOADING: QCoreApplication.translate("QueueModel", "Loading models"),
        JobState.RUNNING: QCoreApplication.translate("QueueModel", "Running"),
        JobState.DONE: QCoreApplication.translate("QueueModel", "Done"),
        JobState.FAILED: QCoreApplication.translate("QueueModel", "Failed"),
        JobState.CANCELLED: QCoreApplication.translate("QueueModel", "Cancelled"),
    }[state]


def stage_text(stage: Stage | None) -> str:
    """The translated name of a pipeline stage."""
    if stage is None:
        return ""
    return {
        Stage.DECODE: QCoreApplication.translate("QueueModel", "Decoding"),
        Stage.VAD: QCoreApplication.translate("QueueModel", "Finding speech"),
        Stage.ASR: QCoreApplication.translate("QueueModel", "Recognising"),
        Stage.PUNC: QCoreApplication.translate("QueueModel", "Punctuation"),
        Stage.SPEAKERS: QCoreApplication.translate("QueueModel", "Identifying speakers"),
    }.get(stage, str(stage))


def clock(seconds: float | None) -> str:
    """`m:ss` or `h:mm:ss`; empty when unknown."""
    if seconds is None or seconds < 0:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def failure_color() -> QColor:
    """Red that reads on the current palette's base colour, light or dark."""
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5
    return QColor("#ff8a80") if dark else QColor("#b3261e")


class QueueModel(QAbstractTableModel):
    """A read-only table over `WorkerPool.jobs()`; follows the pool's signals."""

    def __init__(
        self,
        pool: WorkerPool,
        speakers_of: Callable[[str], int | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        # The session's edited transcript knows merges; the pool's copy does not.
        self._speakers_of = speakers_of
        self._ids: list[str] = [job.id for job in pool.jobs()]
        pool.jobAdded.connect(self._sync)
        pool.jobRemoved.connect(self._sync)
        pool.orderChanged.connect(self._sync)
        pool.jobChanged.connect(self._changed)

    def job_id(self, row: int) -> str | None:
        """The id of the job shown in `row`."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, job_id: str) -> int:
        """The row showing `job_id`, or -1."""
        try:
            return self._ids.index(job_id)
        except ValueError:
            return -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return header_text(Column(section))
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            job = self._pool.job(self._ids[index.row()])
        except KeyError:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(job, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if job.state is JobState.FAILED and job.error_message:
                return job.error_message
            return str(job.path) if column == Column.NAME else None
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == Column.STATUS
            and job.state is JobState.FAILED
        ):
            return failure_color()
        if role == JOB_ID_ROLE:
            return job.id
        if role == PERCENT_ROLE:
            started = job.state.active or job.state is JobState.DONE or job.percent > 0
            return int(job.percent) if started else None
        if role == STATE_ROLE:
            return job.state
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            Column.DURATION,
            Column.ETA,
            Column.SPEAKERS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, job: Job, column: Column) -> str:
        if column == Column.NAME:
            return Path(job.path).name
        if column == Column.DURATION:
            return clock(job.audio_seconds)
        if column == Column.STATUS:
            text = state_text(job.state)
            if job.state is JobState.FAILED and job.error_message:
                return f"{text}: {job.error_message}"
            return text
        if column == Column.STAGE:
            return stage_text(job.stage) if job.state is JobState.RUNNING else ""
        if column == Column.PROGRESS:
            return ""  # drawn by ProgressDelegate
        if column == Column.ETA:
            return clock(job.eta_seconds) if job.state is JobState.RUNNING else ""
        found = self._speakers_of(job.id) if self._speakers_of else None
        if found is None:
            found = job.speakers_found
        return "" if not found else str(found)

    def refresh_job(self, job_id: str) -> None:
        """Redraw the row of `job_id` (its transcript changed)."""
        self._changed(job_id)

    def _changed(self, job_id: str) -> None:
        if [job.id for job in self._pool.jobs()] != self._ids:
            self._sync()
            return
        row = self.row_of(job_id)
        if row >= 0:
            last = self.index(row, len(Column) - 1)
            self.dataChanged.emit(self.index(row, 0), last)

    def _sync(self, *_: object) -> None:
        """Bring rows in line with the pool: inserts, removals and moves, keeping selection."""
        wanted = [job.id for job in self._pool.jobs()]
        for row in reversed(range(len(self._ids))):
            if self._ids[row] not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._ids[row]
                self.endRemoveRows()
        kept = [job_id for job_id in wanted if job_id in self._ids]
        if kept != self._ids:
            self._reorder(kept)
        for row, job_id in enumerate(wanted):
            if row >= len(self._ids) or self._ids[row] != job_id:
                self.beginInsertRows(QModelIndex(), row, row)
                self._ids.insert(row, job_id)
                self.endInsertRows()

    def _reorder(self, order: list[str]) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self._ids
        persistent = self.persistentIndexList()
        self._ids = order
        moved = [self.index(order.index(before[p.row()]), p.column()) for p in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
