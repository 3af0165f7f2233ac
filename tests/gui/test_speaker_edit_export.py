"""Names and text fixed in the transcript view are in every export."""

from __future__ import annotations

import json

import srt
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit

from gui.settings import Key
from gui.transcript_model import Column
from tests.gui.export_helpers import answer_export_dialog, flat


def open_transcript(make_window, saved_session):
    ids = saved_session(done=1)
    window = make_window()
    window.queue.select_job(ids[0])
    return window, window.transcript


def test_a_renamed_speaker_is_named_in_the_srt_and_txt_exports(
    make_window, saved_session, monkeypatch, qtbot, tmp_path
):
    window, view = open_transcript(make_window, saved_session)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Alice", True))
    qtbot.mouseClick(view.speakers.buttons[0], Qt.MouseButton.LeftButton)
    answer_export_dialog(monkeypatch, ["srt", "txt"], tmp_path / "out")

    written = window.export()

    assert sorted(p.name for p in written) == ["speech.srt", "speech.txt"]
    cues = list(srt.parse((tmp_path / "out" / "speech.srt").read_text(encoding="utf-8")))
    assert " ".join(cues[0].content.split()).startswith("Alice: Good morning")
    assert "Speaker 1" not in flat(tmp_path / "out" / "speech.srt")
    txt = flat(tmp_path / "out" / "speech.txt")
    assert "Alice: Good morning" in txt and "Speaker 2: Thanks." in txt
    assert "Speaker 1" not in txt


def test_an_edited_sentence_is_exported_as_edited_in_every_format(
    make_window, saved_session, monkeypatch, qtbot, tmp_path
):
    window, view = open_transcript(make_window, saved_session)
    window.show()
    qtbot.waitExposed(window)
    index = view.model.index(2, Column.TEXT)
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)  # the platform's "edit" key
    editor = view.table.findChild(QLineEdit)
    editor.setText("The numbers look much better than last year.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on its next event turn
    qtbot.waitUntil(lambda: index.data() == "The numbers look much better than last year.")
    answer_export_dialog(monkeypatch, ["srt", "vtt", "txt", "json"], tmp_path)

    written = window.export()

    assert len(written) == 4
    for path in written:
        assert "much better than last year" in flat(path), path.name
    saved = json.loads((tmp_path / "speech.json").read_text(encoding="utf-8"))
    assert saved["sentences"][2]["text"] == "The numbers look much better than last year."


def test_the_export_dialog_remembers_the_chosen_formats_and_folder(
    make_window, saved_session, monkeypatch, tmp_path, private_settings
):
    window, _ = open_transcript(make_window, saved_session)
    answer_export_dialog(monkeypatch, ["vtt", "json"], tmp_path / "subs")

    window.export()

    assert private_settings.value(Key.EXPORT_FORMATS) == ["vtt", "json"]
    assert private_settings.value(Key.OUTPUT_DIR) == str(tmp_path / "subs")
    from gui.export_dialog import ExportDialog

    dialog = ExportDialog(private_settings, has_selection=True)
    assert dialog.formats() == ["vtt", "json"]
    assert dialog.folder() == str(tmp_path / "subs")


def test_a_sentence_moved_to_a_new_speaker_is_theirs_in_every_format(
    make_window, saved_session, monkeypatch, tmp_path
):
    import io

    import docx

    window, view = open_transcript(make_window, saved_session)
    view.table.selectRow(2)  # "The numbers look better than last year." (Speaker 1)
    view.actions_.move_selected(None)
    assert view.model.index(2, Column.SPEAKER).data() == "Speaker 3"
    answer_export_dialog(monkeypatch, ["srt", "vtt", "txt", "json", "docx"], tmp_path)

    written = window.export()

    assert len(written) == 5
    moved = "Speaker 3: The numbers look better than last year."
    for name in ("speech.srt", "speech.vtt", "speech.txt"):
        assert moved in flat(tmp_path / name), name
        assert flat(tmp_path / name).count("Speaker 3") == 1, name
    document = docx.Document(io.BytesIO((tmp_path / "speech.docx").read_bytes()))
    assert any(moved in p.text for p in document.paragraphs)
    saved = json.loads((tmp_path / "speech.json").read_text(encoding="utf-8"))
    assert [s["speaker"] for s in saved["sentences"]] == [0, 1, 2, 1]
    assert saved["speakers"][2] == {"index": 2, "name": None, "color_slot": 2}
