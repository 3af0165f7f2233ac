"""Must-show 1: a file run as batches on 1, 2 or 3 workers gives `AutoModel.generate`'s result."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.pool.jobs import JobState
from engine.pool.pool import WorkerPool
from engine.speakers.embeddings import from_result
from tests.engine.batches.split_helpers import assert_equals_reference, run_files
from tests.engine.pool.pool_helpers import PartLog

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_split_transcripts_equal_automodel_generate_on_three_files(
    workers: int,
    split_pool: Callable[..., tuple[WorkerPool, PartLog]],
    split_files: list[Path],
    references: dict[Path, dict[str, Any]],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    pool, log = split_pool(workers, whole_files=False)  # every file as batches, short or not
    ids = run_files(pool, qtbot, split_files)
    for job_id, path in zip(ids, split_files, strict=True):
        job = pool.job(job_id)
        assert job.state is JobState.DONE, (path.name, job.error_message, job.error_detail)
        assert job.transcript is not None
        assert_equals_reference(job.transcript, references[path], path.name)
        # The speaker sidecar: every clustered window, timed (None if the times disagreed).
        embeddings = from_result(job.transcript)
        assert embeddings is not None and len(embeddings.vectors) == len(embeddings.windows) > 0
        assert len(set(log.batches(job_id))) == len(log.batches(job_id))  # each batch ran once
    long_job = ids[-1]
    assert len(log.batches(long_job)) >= 6  # a five-minute file is many batches
    if workers > 1:
        assert len(log.batch_workers(long_job)) > 1  # and they ran on more than one worker
    assert not any((tmp_path / "checkpoints").iterdir())  # saved transcripts: checkpoints gone
