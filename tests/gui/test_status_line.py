"""The status line names a worker slot that gave up, and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.pool.pool import WorkerPool
from gui.status_line import StatusLine
from tests.engine.pool.pool_helpers import fake_config


@pytest.fixture
def pool(qapp: object, tmp_path: Path) -> Iterator[WorkerPool]:
    config = fake_config("--hello-version", "3", workers=1)  # a worker that can never serve
    made = WorkerPool(config)
    yield made
    made.shutdown()


def test_a_broken_worker_slot_is_shown_with_its_reason(pool: WorkerPool, qtbot) -> None:
    line = StatusLine(pool)
    qtbot.addWidget(line)
    line.show()
    assert not line.broken_label.isVisible()
    with qtbot.waitSignal(pool.brokenChanged, timeout=30_000):
        pool.start()
    assert line.broken_label.isVisible()
    assert "worker speaks protocol v3, this app v2" in line.broken_label.text()
    assert line.broken_label.toolTip() == "worker speaks protocol v3, this app v2"
