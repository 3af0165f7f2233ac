"""Screenshots for the README: the real app with a finished transcript, light and dark.

    xvfb-run -a -s "-screen 0 1400x1000x24" .venv/bin/python -m tests.gui.make_screenshots \\
        --theme light --out docs/screenshot-light.png

The app restores a prepared session (two finished transcripts with names given, one of them
shown) and its real workers transcribe two more files with the tiny test models while the
picture is taken, so the queue shows live progress. The tiny models' own text is random, so
the transcript on screen is a prepared one rather than theirs. On screen: a sentence fixed
to its right speaker (undoable), playback under way in the player bar, and the sentence
menu open on "Move to speaker". `--player-bar PATH` also saves the player bar alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

MEETING = [
    (0, "Good morning, everyone. Thanks for joining the planning meeting.", 0),
    (4200, "Morning! Shall we start with the budget for next quarter?", 1),
    (8100, "Yes. The numbers look better than last year, mostly because of travel.", 0),
    (13600, "Travel was down by almost a third, and the new office is on budget.", 0),
    (19800, "Great. Then hiring is next: two engineers and one designer.", 1),
    (24500, "We should open both engineering roles this week.", 0),
    (28700, "Agreed. The release date moved by two weeks, so please plan for that.", 2),
    (34900, "Understood. Let us meet again on Friday and close the remaining items.", 1),
    (40200, "Thank you all, see you on Friday.", 0),
]
INTERVIEW = [
    (0, "欢迎收听本期节目，今天我们聊一聊语音识别。", 0),
    (5200, "谢谢邀请，很高兴来到这里。", 1),
    (8800, "现在的模型已经可以在笔记本电脑上实时转写了。", 1),
]


def worker_result(path: Path, lines: list[tuple[int, str, int]], end_ms: int) -> dict:
    """A worker-shaped result for `lines` of (start ms, text, speaker)."""
    starts = [start for start, _, _ in lines] + [end_ms]
    return {
        "version": 1,
        "source": {"path": str(path), "duration_ms": end_ms},
        "models": {"asr": "paraformer", "vad": "fsmn-vad", "punc": "ct-punc", "spk": "cam++"},
        "sentences": [
            {"start": start, "end": starts[i + 1] - 300, "text": text, "speaker": who, "tokens": []}
            for i, (start, text, who) in enumerate(lines)
        ],
    }


def prepare(work: Path) -> tuple[Path, list[Path]]:
    """Media files and a saved session in `work`; returns the data folder and files to queue."""
    from engine.pool.jobs import Job, JobState
    from engine.protocol import JobOptions
    from engine.transcript import Transcript
    from gui.session_store import SessionStore

    media = work / "media"
    media.mkdir()
    meeting = media / "planning-meeting.wav"
    interview = media / "podcast-episode-12.mp4"
    # As long as the meeting's transcript, so the player bar has all of it to play.
    subprocess.run(["sox", *[str(DATA / "speech.wav")] * 7, str(meeting)], check=True)
    shutil.copy(DATA / "speech.mp4", interview)
    long_talk = media / "customer-call.wav"
    subprocess.run(["sox", *[str(DATA / "speech.wav")] * 30, str(long_talk)], check=True)
    second = media / "lecture-week-3.wav"
    shutil.copy(long_talk, second)
    silent = media / "screen-recording.mp4"
    shutil.copy(DATA / "no_audio.mp4", silent)

    data = work / "data"
    store = SessionStore(data)
    transcript = Transcript.from_worker_result(worker_result(meeting, MEETING, 43500))
    transcript.rename_speaker(0, "Alice")
    transcript.rename_speaker(1, "Bob")
    transcript.rename_speaker(2, "Carol")
    store.save_transcript("meeting", transcript)
    chinese = Transcript.from_worker_result(worker_result(interview, INTERVIEW, 12400))
    chinese.rename_speaker(0, "主持人")
    store.save_transcript("interview", chinese)
    jobs = [
        Job(
            id="meeting",
            path=str(meeting),
            options=JobOptions(speakers=3),
            state=JobState.DONE,
            percent=100.0,
            audio_seconds=43.5,
        ),
        Job(
            id="interview",
            path=str(interview),
            state=JobState.DONE,
            percent=100.0,
            audio_seconds=12.4,
        ),
    ]
    store.save_jobs(jobs)
    return data, [silent, long_talk, second]


def main(argv: list[str] | None = None) -> int:
    """Prepare a session, run the app on it, and save one screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--language", choices=("en", "zh_CN"), default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--player-bar", type=Path, help="also save the player bar here")
    parser.add_argument("--models", type=Path, default=os.environ.get("FUNSCRIBE_TEST_MODELS"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = args.models
        if models is None:
            from engine.testing.tiny_models import build_model_set

            models = build_model_set(work / "models")
        data, queue = prepare(work)
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        return shoot(data, models, queue, args)


def shoot(data: Path, models: Path, queue: list[Path], args: argparse.Namespace) -> int:
    """Run the window until a job is well under way, then grab it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMenu

    from engine.pool.jobs import JobState
    from gui import i18n
    from gui.app import create_window
    from gui.settings import APPLICATION, ORGANIZATION, Key, Settings
    from gui.theme import apply_theme
    from gui.transcript_model import Column

    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    app = QApplication(sys.argv[:1])
    apply_theme(app, args.theme)
    translators = i18n.install(app, args.language)
    settings = Settings()
    settings.set_value(Key.MODEL_PRESET, "local")
    settings.set_value(Key.MODELS_DIR, str(models))
    settings.set_value(Key.WORKERS, 2)
    settings.set_value(Key.THREADS, 1)
    window = create_window(settings, data)
    window.resize(1280, 860)
    window.show()
    window.queue.select_job("meeting")
    window.transcript.search.setText("budget")
    window.pool.start()
    window.add_paths(queue)
    window.queue.select_job("meeting")
    view = window.transcript
    # The speaker fix: "Travel was down…" was Alice's; it is Carol's (Ctrl+Z would undo it).
    window.session.move_sentences("meeting", [3], 2)
    view.play_from(2)

    def ready() -> bool:
        running = [j for j in window.pool.jobs() if j.state is JobState.RUNNING]
        failed = [j for j in window.pool.jobs() if j.state is JobState.FAILED]
        return bool(failed) and any(20 <= j.percent <= 70 for j in running)

    def poll() -> None:
        if ready():
            timer.stop()
            QTimer.singleShot(100, open_menu)

    def open_menu() -> None:
        # Paused at a fixed point, so every run shows the same time and playing sentence.
        player = view.player_bar.player
        if player is not None:
            player.pause()
        view.player_bar.seek(15_200)
        rect = view.table.visualRect(view.model.index(5, Column.TEXT))
        view.table.selectRow(5)
        view.actions_.show_menu(rect.center())
        QTimer.singleShot(300, open_submenu)

    def open_submenu() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            move = menu.actions()[0]
            menu.setActiveAction(move)
            place = menu.mapToGlobal(menu.actionGeometry(move).topRight())
            move.menu().popup(place)  # type: ignore[union-attr]
        QTimer.singleShot(400, grab)

    def grab() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        # The screen, not the window: the open menus are windows of their own.
        frame = window.frameGeometry()
        shot = app.primaryScreen().grabWindow(
            0, frame.x(), frame.y(), frame.width(), frame.height()
        )
        shot.save(str(args.out))
        print(f"saved {args.out}")
        if args.player_bar:
            view.player_bar.grab().save(str(args.player_bar))
            print(f"saved {args.player_bar}")
        window.close()
        app.quit()

    timer = QTimer(interval=20)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(180_000, app.quit)  # never hang a docs build
    app.exec()
    window.pool.shutdown(3000)
    del translators
    return 0 if args.out.exists() else 1


if __name__ == "__main__":
    sys.exit(main())
