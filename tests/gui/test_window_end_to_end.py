"""End to end in the window: real workers with tiny models, from drop to export."""

from __future__ import annotations

import json

import pytest
import srt
import webvtt

from engine.pool.jobs import JobState
from gui.queue_model import Column
from gui.settings import Key
from gui.transcript_model import COLOR_ROLE
from gui.transcript_model import Column as TColumn
from tests.gui.conftest import copy_as
from tests.gui.export_helpers import answer_export_dialog

pytestmark = pytest.mark.slow


def test_two_files_run_at_once_on_two_workers_and_export_with_two_coloured_speakers(
    make_window, model_dir, conversation_wav, tmp_path, qtbot, monkeypatch, private_settings
):
    # Four times the conversation (~2 min each): long enough that both jobs overlap.
    long_talk = tmp_path / "talk.wav"
    import subprocess

    subprocess.run(["sox", *[str(conversation_wav)] * 4, str(long_talk)], check=True)
    first, second = copy_as(long_talk, tmp_path / "in", "monday.wav", "tuesday.wav")
    window = make_window(models=model_dir, workers=2, speakers=2)
    window.show()
    seen: dict[str, set[tuple[str, str]]] = {}
    most_running = 0

    def watch(job_id: str) -> None:
        nonlocal most_running
        row = window.queue_model.row_of(job_id)
        status = window.queue_model.index(row, Column.STATUS).data()
        stage = window.queue_model.index(row, Column.STAGE).data()
        seen.setdefault(job_id, set()).add((status, stage))
        running = [j for j in window.pool.jobs() if j.state is JobState.RUNNING]
        most_running = max(most_running, len(running))

    window.pool.jobChanged.connect(watch)
    window.pool.start()
    ids = window.add_paths([first, second])

    with qtbot.waitSignal(window.pool.idle, timeout=180_000):
        pass

    assert [window.pool.job(i).state for i in ids] == [JobState.DONE, JobState.DONE]
    qtbot.waitUntil(lambda: all(window.session.transcript(i) is not None for i in ids))
    assert most_running == 2
    for job_id in ids:
        statuses = {status for status, _ in seen[job_id]}
        stages = {stage for _, stage in seen[job_id] if stage}
        assert {"Running", "Done"} <= statuses
        assert {"Decoding", "Recognising", "Identifying speakers"} <= stages
        row = window.queue_model.row_of(job_id)
        assert window.queue_model.index(row, Column.SPEAKERS).data() == "2"
        assert window.queue_model.index(row, Column.DURATION).data() == "2:06"
    assert "Workers: 0 busy, 2 idle" in window.status_line.workers_label.text()
    assert window.status_line.progress.value() == 100

    window.queue.select_job(ids[0])
    model = window.transcript.model
    assert model.rowCount() > 4
    speakers = {model.index(r, TColumn.SPEAKER).data() for r in range(model.rowCount())}
    colors = {model.index(r, TColumn.TEXT).data(COLOR_ROLE).name() for r in range(model.rowCount())}
    assert speakers == {"Speaker 1", "Speaker 2"}
    assert len(colors) == 2

    out = tmp_path / "out"
    answer_export_dialog(monkeypatch, ["srt", "vtt", "json"], out)
    written = window.export()

    assert sorted(p.name for p in written) == [
        "monday.json",
        "monday.srt",
        "monday.vtt",
        "tuesday.json",
        "tuesday.srt",
        "tuesday.vtt",
    ]
    cues = list(srt.parse((out / "monday.srt").read_text(encoding="utf-8")))
    assert len(cues) >= model.rowCount()
    assert len(webvtt.read(str(out / "tuesday.vtt"))) >= 1
    saved = json.loads((out / "monday.json").read_text(encoding="utf-8"))
    assert len(saved["speakers"]) == 2
    assert not (out / "monday.txt").exists()
    assert private_settings.value(Key.EXPORT_FORMATS) == ["srt", "vtt", "json"]
