"""GUI fixtures: private settings and data folder per test, and windows over real pools."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from engine.models.cache import CACHE_ENV
from gui.session_store import DATA_DIR_ENV
from gui.settings import MODELS_ENV, Key, Settings
from tests.gui.samples import worker_transcript


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Each test gets its own INI settings and data folder; the user's are never touched."""
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.delenv(MODELS_ENV, raising=False)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "model-cache"))
    return Settings()


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    """The private data folder of this test (where the session is saved)."""
    return Path(os.environ[DATA_DIR_ENV])


@pytest.fixture
def make_window(
    qtbot, private_settings: Settings, data_folder: Path
) -> Iterator[Callable[..., object]]:
    """Build a `MainWindow` over a real pool (not started); every pool is shut down after."""
    from gui.app import create_window

    windows = []

    def make(models: Path | None = None, workers: int = 1, speakers: int = 0):
        settings = private_settings
        if models is not None:
            settings.set_value(Key.MODEL_PRESET, "local")
            settings.set_value(Key.MODELS_DIR, str(models))
        settings.set_value(Key.WORKERS, workers)
        settings.set_value(Key.THREADS, 1)
        settings.set_value(Key.SPEAKERS, speakers)
        window = create_window(settings, data_folder)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.pool.shutdown(3000)


@pytest.fixture
def saved_session(data_folder: Path, speech_wav: Path) -> Callable[..., list[str]]:
    """Write a session to the data folder: finished jobs (with transcripts) then queued ones."""
    from engine.pool.jobs import Job, JobState
    from engine.transcript import Transcript
    from gui.session_store import SessionStore

    def save(done: int = 1, queued: int = 0, path: Path = speech_wav) -> list[str]:
        store = SessionStore(data_folder)
        jobs = []
        for i in range(done):
            job = Job(id=f"done{i}", path=str(path), state=JobState.DONE, percent=100.0)
            job.transcript = worker_transcript(str(path))
            store.save_transcript(job.id, Transcript.from_worker_result(job.transcript))
            jobs.append(job)
        jobs += [Job(id=f"queued{i}", path=str(path)) for i in range(queued)]
        store.save_jobs(jobs)
        return [job.id for job in jobs]

    return save


@pytest.fixture(scope="session")
def long_wav(conversation_wav: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 2.5 minutes of speech (the conversation five times): long enough to act on mid-run."""
    out = tmp_path_factory.mktemp("long") / "long.wav"
    subprocess.run(["sox", *[str(conversation_wav)] * 5, str(out)], check=True)
    return out


def copy_as(source: Path, folder: Path, *names: str) -> list[Path]:
    """Copies of `source` under new names (the queue skips a path it already holds)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in names:
        shutil.copy(source, folder / name)
        out.append(folder / name)
    return out
