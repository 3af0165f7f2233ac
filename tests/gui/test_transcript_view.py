"""The transcript view: speaker colours, renames, merges, text edits and search."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QInputDialog

from gui.transcript_model import COLOR_ROLE, Column


def shown(make_window, saved_session):
    ids = saved_session(done=1)
    window = make_window()
    window.queue.select_job(ids[0])
    return window, window.transcript


def test_selecting_a_finished_row_shows_its_sentences_coloured_by_speaker(
    make_window, saved_session
):
    _, view = shown(make_window, saved_session)
    model = view.model

    assert model.rowCount() == 4
    speakers = [model.index(r, Column.SPEAKER).data() for r in range(4)]
    assert speakers == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]
    colors = [model.index(r, Column.TEXT).data(COLOR_ROLE).name() for r in range(4)]
    assert colors[0] == colors[2] != colors[1] == colors[3]
    assert model.index(0, Column.TIME).data() == "0:00.0"
    assert model.index(1, Column.TIME).data() == "0:02.6"
    assert sorted(view.speakers.buttons) == [0, 1]


def test_clicking_a_speaker_button_renames_that_speaker_everywhere_and_saves_it(
    make_window, saved_session, monkeypatch, qtbot, data_folder
):
    window, view = shown(make_window, saved_session)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Alice", True))

    with qtbot.waitSignal(window.session.edited):
        qtbot.mouseClick(view.speakers.buttons[0], Qt.MouseButton.LeftButton)

    names = [view.model.index(r, Column.SPEAKER).data() for r in range(4)]
    assert names == ["Alice", "Speaker 2", "Alice", "Speaker 2"]
    assert view.speakers.buttons[0].text() == "Alice"
    window.session.flush()
    saved = (data_folder / "transcripts" / "done0.json").read_text(encoding="utf-8")
    assert '"Alice"' in saved


def test_merging_two_speakers_leaves_one_speaker_with_the_kept_colour(make_window, saved_session):
    window, view = shown(make_window, saved_session)
    kept_color = view.model.index(0, Column.TEXT).data(COLOR_ROLE).name()
    merge_menu = view.speakers.buttons[1].menu().actions()[1].menu()

    merge_menu.actions()[0].trigger()  # "Merge into" → Speaker 1

    model = view.model
    assert {model.index(r, Column.SPEAKER).data() for r in range(4)} == {"Speaker 1"}
    assert {model.index(r, Column.TEXT).data(COLOR_ROLE).name() for r in range(4)} == {kept_color}
    assert list(view.speakers.buttons) == [0]
    assert window.queue_model.index(0, 6).data() == "1"


def test_editing_a_sentence_in_the_view_changes_the_saved_transcript(
    make_window, saved_session, data_folder
):
    window, view = shown(make_window, saved_session)
    index = view.model.index(1, Column.TEXT)

    assert view.model.setData(index, "Thanks. Let us start with the travel budget.")

    assert index.data() == "Thanks. Let us start with the travel budget."
    window.session.flush()
    saved = (data_folder / "transcripts" / "done0.json").read_text(encoding="utf-8")
    assert "travel budget" in saved


def test_search_finds_and_selects_matching_sentences(make_window, saved_session):
    _, view = shown(make_window, saved_session)

    view.search.setText("BUDGET")

    assert view.matches == [1, 3]
    assert view.table.currentIndex().row() == 1
    assert view.delegate.query == "BUDGET"
    view.next_match()
    assert view.table.currentIndex().row() == 3
    view.next_match()
    assert view.table.currentIndex().row() == 1
    assert "2" in view.match_label.text()


def test_without_qtmultimedia_clicking_a_sentence_plays_nothing_and_disables_the_bar(
    make_window, saved_session, monkeypatch
):
    import gui.player

    monkeypatch.setattr(gui.player, "multimedia_available", lambda: False)
    _, view = shown(make_window, saved_session)

    assert view.play_from(0) is False
    assert not view.player_bar.play_action.isEnabled()
    assert not view.player_bar.slider.isEnabled()
    assert view.model.playing_row == -1


class FakePlayer(QObject):
    """Stands in for gui.player.Player: records what the view asks of it."""

    positionChanged = Signal(int)
    durationChanged = Signal(int)
    playingChanged = Signal(bool)
    rateChanged = Signal(float)
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.calls: list[tuple[str, int]] = []
        self.playing = False
        self.position = 0

    def load(self, path):
        pass

    def play_from(self, path, ms):
        self.calls.append((path.name, ms))
        self.position = ms
        self.playing = True
        self.playingChanged.emit(True)

    def stop(self):
        self.playing = False
        self.playingChanged.emit(False)


def test_clicking_a_sentence_plays_from_its_start_and_marks_the_playing_sentence(
    make_window, saved_session, monkeypatch, qtbot
):
    import gui.player_bar

    player = FakePlayer()
    monkeypatch.setattr(gui.player_bar, "make_player", lambda parent: player)
    window, view = shown(make_window, saved_session)
    window.show()
    qtbot.waitExposed(window)

    rect = view.table.visualRect(view.model.index(1, Column.TEXT))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert player.calls == [("speech.wav", 2600)]
    assert view.model.playing_row == 1
    player.positionChanged.emit(8500)  # playback moves on into the fourth sentence
    assert view.model.playing_row == 3
    assert view.player_bar.slider.value() == 8500
    view.table.setCurrentIndex(view.model.index(2, Column.TIME))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # Enter plays the current sentence
    assert player.calls[-1] == ("speech.wav", 5400)
    view.stop()
    assert view.model.playing_row == -1


def test_follow_playback_keeps_the_playing_sentence_in_view_unless_turned_off(
    make_window, data_folder, speech_wav, qtbot
):
    from bench.editor import generated
    from engine.pool.jobs import Job, JobState
    from engine.transcript import Transcript
    from gui.session_store import SessionStore

    store = SessionStore(data_folder)
    store.save_transcript("long", Transcript.from_worker_result(generated(300, str(speech_wav))))
    store.save_jobs([Job(id="long", path=str(speech_wav), state=JobState.DONE, percent=100.0)])
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.queue.select_job("long")
    view = window.transcript
    start = view.model.transcript.sentences

    def visible(row: int) -> bool:
        rect = view.table.visualRect(view.model.index(row, 0))
        return view.table.viewport().rect().intersects(rect)

    view.player_bar.positionChanged.emit(start[250].start_ms + 10)
    assert view.model.playing_row == 250 and visible(250)
    view.player_bar.follow.setChecked(False)
    view.player_bar.positionChanged.emit(start[20].start_ms + 10)
    assert view.model.playing_row == 20 and not visible(20)
