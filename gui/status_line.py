"""The status bar's permanent part: workers busy/idle, a broken worker slot, overall progress."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool

_REASON_CHARS = 90  # the rest of a long reason is in the tooltip


class StatusLine(QWidget):
    """`Workers: 1 busy, 1 idle · 2 of 5 done`, a broken worker slot with its reason, and one
    progress bar over the whole queue."""

    def __init__(self, pool: WorkerPool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self._busy = 0
        self._total = 0
        self.workers_label = QLabel()
        self.jobs_label = QLabel()
        self.broken_label = QLabel()
        self.broken_label.setStyleSheet("font-weight: bold;")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.workers_label)
        layout.addWidget(self.broken_label)
        layout.addWidget(self.jobs_label)
        layout.addWidget(self.progress)
        pool.workersChanged.connect(self._workers)
        pool.brokenChanged.connect(self._show_broken)
        for signal in (pool.jobAdded, pool.jobChanged, pool.jobRemoved):
            signal.connect(self.refresh)
        self.refresh()
        self._show_broken()

    def _show_broken(self) -> None:
        """Name why a worker slot gave up (the first reason; every one in the tooltip)."""
        reasons = self._pool.broken_reasons()
        self.broken_label.setVisible(bool(reasons))
        if not reasons:
            self.broken_label.clear()
            self.broken_label.setToolTip("")
            return
        first = reasons[0]
        shown = first if len(first) <= _REASON_CHARS else first[: _REASON_CHARS - 1] + "…"
        self.broken_label.setText(
            self.tr("%1 worker(s) stopped for good: %2")
            .replace("%1", str(len(reasons)))
            .replace("%2", shown)
        )
        self.broken_label.setToolTip("\n\n".join(reasons))

    def _workers(self, busy: int, total: int) -> None:
        self._busy, self._total = busy, total
        self.refresh()

    def overall_percent(self) -> int:
        """Progress over every job that has not been cancelled."""
        jobs = [job for job in self._pool.jobs() if job.state is not JobState.CANCELLED]
        if not jobs:
            return 0
        done = sum(100.0 if job.state.finished else job.percent for job in jobs)
        return int(done / len(jobs))

    def refresh(self, *_: object) -> None:
        """Redraw from the pool's current state."""
        idle = max(self._total - self._busy, 0)
        self.workers_label.setText(
            self.tr("Workers: %1 busy, %2 idle")
            .replace("%1", str(self._busy))
            .replace("%2", str(idle))
        )
        jobs = self._pool.jobs()
        finished = sum(1 for job in jobs if job.state.finished)
        self.jobs_label.setText(
            self.tr("%1 of %2 finished").replace("%1", str(finished)).replace("%2", str(len(jobs)))
            if jobs
            else ""
        )
        self.progress.setValue(self.overall_percent())
        self.progress.setVisible(bool(jobs))
