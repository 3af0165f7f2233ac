"""The re-cluster dialog runs the helper process and gives back what the CLI writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from engine.speakers.cli import main as cli_main
from engine.speakers.embeddings import SpeakerEmbeddings, sidecar_path
from engine.transcript import Sentence, Speaker, Transcript
from gui.recluster_dialog import ReclusterDialog, ReclusterHelper

SENTENCES = 8
WINDOWS_PER_SENTENCE = 8


def two_voice_file(path: Path, with_embeddings: bool = True) -> Path:
    """A transcript saved with one speaker, whose windows come from two clear voices."""
    rng = np.random.default_rng(3)
    voices = rng.standard_normal((2, 16))
    sentences, vectors, windows = [], [], []
    for i in range(SENTENCES):
        start = i * 6.5
        sentences.append(Sentence(int(start * 1000), int((start + 6.0) * 1000), f"line {i}", 0))
        for w in range(WINDOWS_PER_SENTENCE):
            windows.append([start + w * 0.75 - (0.75 if w == 7 else 0), start + w * 0.75 + 1.5])
            vectors.append(voices[i % 2] + 0.2 * rng.standard_normal(16))
    order = np.argsort(np.array(windows)[:, 0], kind="stable")
    transcript = Transcript("talk.wav", SENTENCES * 6500, {}, sentences, [Speaker(0, "Ada", 0)])
    transcript.save(path)
    if with_embeddings:
        SpeakerEmbeddings(
            vectors=np.array(vectors, dtype=np.float32)[order],
            windows=np.array(windows, dtype=np.float64)[order],
            model="sha256:test",
            speakers=1,
            cluster={"merge_thr": 0.78},
        ).save(sidecar_path(path))
    return path


@pytest.fixture
def helper(qtbot) -> Iterator[ReclusterHelper]:
    helper = ReclusterHelper()
    yield helper
    helper.shutdown()


def test_the_dialog_gives_back_exactly_what_the_cli_writes(
    qtbot, helper: ReclusterHelper, tmp_path: Path
) -> None:
    path = two_voice_file(tmp_path / "talk.json")
    assert cli_main([str(path), "--speakers", "2", "--out", str(tmp_path / "cli")]) == 0

    dialog = ReclusterDialog(path, 1, helper)
    qtbot.addWidget(dialog)
    dialog.count_box.setCurrentIndex(2)  # "2"
    assert dialog.speakers() == 2
    with qtbot.waitSignal(dialog.reclustered, timeout=180_000) as signal:
        dialog.ok_button.click()

    new: Transcript = signal.args[0]
    assert new.to_json() == (tmp_path / "cli" / "talk.json").read_text(encoding="utf-8")
    assert [s.speaker for s in new.sentences] == [0, 1] * (SENTENCES // 2)
    assert new.speakers[0].name == "Ada"
    assert path.read_text(encoding="utf-8") == Transcript.load(path).to_json()  # untouched


def test_a_transcript_without_embeddings_says_it_needs_a_rerun(
    qtbot, helper: ReclusterHelper, tmp_path: Path
) -> None:
    path = two_voice_file(tmp_path / "old.json", with_embeddings=False)
    dialog = ReclusterDialog(path, 1, helper)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert "Transcribe the file again" in dialog.status.text()


def test_a_failed_request_is_shown_and_can_be_retried(
    qtbot, helper: ReclusterHelper, tmp_path: Path
) -> None:
    path = two_voice_file(tmp_path / "talk.json")
    dialog = ReclusterDialog(path, 1, helper)
    qtbot.addWidget(dialog)
    sidecar_path(path).write_bytes(b"damaged")  # damaged after the dialog opened
    with qtbot.waitSignal(helper.failed, timeout=180_000):
        dialog.ok_button.click()
    assert "unreadable" in dialog.status.text()
    assert dialog.ok_button.isEnabled()
