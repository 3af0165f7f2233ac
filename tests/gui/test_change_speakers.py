"""Change a finished transcript's speaker count in the window: one undoable step."""

from __future__ import annotations

import pytest

from engine.speakers.embeddings import sidecar_path

pytestmark = pytest.mark.slow


def test_a_transcribed_file_can_change_its_speaker_count_and_undo_gives_back_the_file(
    make_window, model_dir, conversation_wav, qtbot
):
    window = make_window(models=model_dir, workers=1, speakers=2)
    window.pool.start()
    (job_id,) = window.add_paths([conversation_wav])
    with qtbot.waitSignal(window.pool.idle, timeout=180_000):
        pass
    qtbot.waitUntil(lambda: window.session.transcript(job_id) is not None, timeout=30_000)
    session, saved = window.session, window.session.store.transcript_file(job_id)
    # The worker's speaker embeddings were kept beside the saved transcript.
    assert sidecar_path(saved).is_file()
    assert len(session.transcript(job_id).speakers) == 2
    session.rename_speaker(job_id, 0, "Ada")
    session.flush()
    original = saved.read_text(encoding="utf-8")

    window.queue.select_job(job_id)
    dialog = window.change_speakers()
    assert dialog is not None and dialog.can_recluster
    dialog.count_box.setCurrentIndex(1)  # "1"
    with qtbot.waitSignal(dialog.reclustered, timeout=120_000):
        dialog.start()

    changed = session.transcript(job_id)
    assert len(changed.speakers) == 1
    assert {s.speaker for s in changed.sentences} == {changed.speakers[0].index}
    stack = session.undo_stack(job_id)
    assert stack.undoText() == "Change speakers"

    stack.undo()
    session.flush()
    assert saved.read_text(encoding="utf-8") == original
    stack.redo()
    assert len(session.transcript(job_id).speakers) == 1
