"""`main(argv)`: the QApplication on a qasync loop, translations, theme, and the window."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui import i18n
from gui.engine_config import pool_config
from gui.platform_check import platform_problem
from gui.settings import APPLICATION, ORGANIZATION, Key, Settings
from gui.theme import apply_theme

if TYPE_CHECKING:
    from engine.pool.pool import PoolConfig
    from gui.main_window import MainWindow

SHUTDOWN_MS = 5000
CHECKPOINTS_FOLDER = "checkpoints"  # under the data folder, a folder per running file
IDLE_CLOSE_DELAY_MS = 300


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Options for the desktop app (Qt's own options are left to Qt)."""
    parser = argparse.ArgumentParser(prog="funscribe", description="FunScribe desktop app")
    parser.add_argument("files", nargs="*", type=Path, help="media files or folders to queue")
    parser.add_argument("--quit-after", type=int, metavar="MS", help="close after MS ms (tests)")
    parser.add_argument(
        "--quit-when-idle", action="store_true", help="close once every queued file is finished"
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="save the window as PNG before it closes"
    )
    parser.add_argument("--language", choices=i18n.SUPPORTED, help="UI language for this run")
    parser.add_argument("--theme", choices=("system", "light", "dark"), help="theme for this run")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def create_window(
    settings: Settings, data_folder: Path | None = None, config: PoolConfig | None = None
) -> MainWindow:
    """A pool, its session restored from `data_folder`, and the window over them (not started).

    Imported here rather than at the top so the window module loads after the QApplication.
    """
    from engine.pool.pool import WorkerPool
    from gui.main_window import MainWindow
    from gui.session import Session
    from gui.session_store import SessionStore, data_dir

    store = SessionStore(data_folder or data_dir())
    # Files run as checkpointed batches: one long file spreads over every worker, and a
    # crash, a cancel or a killed app resumes from the saved batches (docs/batches.md).
    # The session releases a file's checkpoints once its transcript is on disk.
    checkpoints = str(store.folder / CHECKPOINTS_FOLDER)
    pool = WorkerPool(
        config or pool_config(settings), checkpoints=checkpoints, owner_releases_checkpoints=True
    )
    session = Session(pool, store)
    window = MainWindow(settings, session)
    session.restore()
    pool.setParent(window)
    return window


def start_workers(window: MainWindow, settings: Settings) -> None:
    """Start the pool; first offer to download the chosen preset if it is not on disk."""
    from gui.models_first_run import FirstRunDialog, models_missing

    if not models_missing(settings.value(Key.MODEL_PRESET), settings.models_dir()):
        window.pool.start()
        return
    dialog = FirstRunDialog(parent=window)

    def closed(_result: int) -> None:
        # Downloaded or not: with no models, each job's row says why it failed.
        window.pool.reconfigure(pool_config(settings))  # the models just downloaded, if any
        window.pool.start()
        dialog.deleteLater()

    dialog.finished.connect(closed)
    dialog.open()


def _report_and_close(window: MainWindow, screenshot: Path | None) -> None:
    # For smoke tests and CI: proof on stderr that the window really was shown, and a picture
    # of it as the window system shows it (the screen's pixels, not a re-render).
    print(f"window shown: {window.isVisible()} ({window.windowTitle()})", file=sys.stderr)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        picture = window.screen().grabWindow(window.winId())
        saved = picture.save(str(screenshot), "PNG")
        print(f"screenshot {'saved' if saved else 'NOT saved'}: {screenshot}", file=sys.stderr)
    window.close()


def main(argv: list[str] | None = None) -> int:
    """Run the app until its window closes; returns the exit status."""
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APPLICATION)
    app = QApplication.instance()
    if app is None:
        problem = platform_problem(argv)
        if problem is not None:  # Qt would abort with a core dump and a vaguer message
            print(problem, file=sys.stderr)
            return 1
        app = QApplication(argv)
    settings = Settings()
    apply_theme(app, args.theme or settings.value(Key.THEME))  # type: ignore[arg-type]
    language = args.language or i18n.pick_language(settings.value(Key.LANGUAGE))
    translators = i18n.install(app, language)
    window = create_window(settings)
    window.show()
    # Workers load models for seconds; start them once the window is on screen.
    QTimer.singleShot(0, lambda: start_workers(window, settings))
    if args.files:
        QTimer.singleShot(0, lambda: window.add_paths(args.files))
    if args.quit_when_idle:
        # After a short delay: the last row's "Done" must be painted before the screenshot.
        window.pool.idle.connect(
            lambda: QTimer.singleShot(
                IDLE_CLOSE_DELAY_MS, lambda: _report_and_close(window, args.screenshot)
            )
        )
    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, lambda: _report_and_close(window, args.screenshot))

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    window.pool.shutdown(SHUTDOWN_MS)
    del translators
    return 0
