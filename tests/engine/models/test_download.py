"""The download process, for real, against a local hub (MODELSCOPE_ENDPOINT points at it)."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from engine.model_set import ROLES
from engine.models.cache import (
    PresetState,
    is_complete,
    model_folder,
    preset_model_set,
    preset_state,
)
from engine.models.download_protocol import (
    Done,
    DownloadError,
    DownloadErrorCode,
    DownloadEvent,
    DownloadProgress,
    EventReader,
    Plan,
)
from engine.models.launch import download_command, download_environment
from engine.models.presets import PRESETS
from engine.models.verify import verify_model_folder, verify_model_set
from engine.protocol import Hello
from engine.testing.tiny_models import SPK_WEIGHTS
from tests.engine.models.hub_server import Behaviour, HubServer
from tests.engine.worker_process import WorkerProcess

PRESET = PRESETS["zh"]
CHUNK = 1024 * 1024  # the hub client writes a partial file 1 MiB at a time


class DownloadRun:
    """`python -m engine.models.download PRESET --cache DIR`, its events read by a thread."""

    def __init__(self, cache: Path, preset: str = PRESET.key) -> None:
        program, args = download_command(preset, cache)
        self.process = subprocess.Popen(
            [program, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=download_environment(),
        )
        self.events: queue.Queue[DownloadEvent | None] = queue.Queue()
        self.seen: list[DownloadEvent] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        reader = EventReader()
        assert self.process.stdout is not None
        for line in self.process.stdout:
            for event in reader.feed(line):
                self.events.put(event)
        self.events.put(None)

    def next(self, timeout: float = 60) -> DownloadEvent | None:
        event = self.events.get(timeout=timeout)
        if event is not None:
            self.seen.append(event)
        return event

    def finish(self, timeout: float = 60) -> list[DownloadEvent]:
        """Every event up to the end of stdout; checks the process exited."""
        while self.next(timeout) is not None:
            pass
        self.process.wait(timeout)
        return self.seen

    def stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read().decode("utf-8", "replace")[-3000:]


def _assert_progress_is_sane(events: list[DownloadEvent]) -> None:
    progress = [e for e in events if isinstance(e, DownloadProgress)]
    assert progress, "no progress events"
    done = [p.bytes_done for p in progress]
    assert done == sorted(done), f"progress went backwards: {done}"
    assert all(p.bytes_total == progress[0].bytes_total for p in progress)
    assert progress[-1].bytes_done == progress[-1].bytes_total
    assert all(p.speed >= 0 and (p.eta is None or p.eta >= 0) for p in progress)


def test_a_preset_downloads_with_progress_then_verifies_and_loads_offline(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run = DownloadRun(cache)
    events = run.finish()
    assert run.process.returncode == 0, run.stderr()
    assert isinstance(events[0], Plan) and isinstance(events[-1], Done)
    plan = events[0]
    served = sum(
        len(data)
        for files in hub.repos.values()
        for name, data in files.items()
        if not name.startswith("example/")  # sample audio FunASR never reads is skipped
    )
    assert plan.bytes_total == served and plan.bytes_done == 0
    assert not hub.file_requests("example/sample.wav")
    assert plan.models["asr"] == PRESET.models["asr"].label
    _assert_progress_is_sane(events)
    assert preset_state(PRESET, cache) is PresetState.PRESENT
    models = preset_model_set(PRESET, cache)
    assert models is not None and verify_model_set(models) == []
    assert events[-1] == Done(PRESET.key, {k: v for k, v in models.as_dict().items() if v})

    # A second run finds everything in place and fetches nothing.
    before = len(hub.requests)
    again = DownloadRun(cache).finish()
    assert isinstance(again[-1], Done)
    assert not [r for r in hub.requests[before:] if "FilePath" in r.query]

    # The worker loads the downloaded set without a single request to the hub.
    before = len(hub.requests)
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    args = [a for role in ROLES for a in (f"--{role}", str(getattr(models, role)))]
    worker = WorkerProcess(*args, "--threads", "1", stderr_path=tmp_path / "worker.log")
    hello = worker.next_event(timeout=120)
    assert worker.close() == 0
    assert isinstance(hello, Hello), (tmp_path / "worker.log").read_text()[-2000:]
    assert hub.requests[before:] == []


def test_cancelling_mid_download_leaves_no_complete_model_and_the_next_run_resumes(
    hub: HubServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    spk = PRESET.models["spk"]
    weights = hub.repos[(spk.model_id, spk.revision)][SPK_WEIGHTS]
    assert len(weights) > CHUNK + 4096, "the tiny speaker model must span two write chunks"
    stall = Behaviour(stall_after=CHUNK + 4096)
    hub.behaviours[(spk.model_id, SPK_WEIGHTS)] = stall
    run = DownloadRun(cache)
    assert stall.stalled.wait(60), run.stderr()
    partial = model_folder(cache, spk) / f"{SPK_WEIGHTS}.incomplete"
    deadline = time.monotonic() + 30
    while not (partial.is_file() and partial.stat().st_size >= CHUNK):
        assert time.monotonic() < deadline, "the first MiB never reached the partial file"
        time.sleep(0.05)
    run.process.kill()  # what the GUI's Cancel does
    run.finish()
    kept = partial.stat().st_size
    assert any(isinstance(e, DownloadProgress) for e in run.seen)
    assert not any(isinstance(e, Done) for e in run.seen)
    stall.release.set()
    del hub.behaviours[(spk.model_id, SPK_WEIGHTS)]

    assert preset_state(PRESET, cache) is PresetState.PARTIAL
    assert preset_model_set(PRESET, cache) is None
    assert not is_complete(model_folder(cache, spk))
    problems = verify_model_folder(model_folder(cache, spk), "spk")
    assert any("not fully downloaded" in p for p in problems), problems

    resumed = DownloadRun(cache).finish()
    assert isinstance(resumed[-1], Done), resumed[-1]
    plan = resumed[0]
    assert isinstance(plan, Plan) and plan.bytes_done >= kept
    ranges = [r.range for r in hub.file_requests(SPK_WEIGHTS) if r.range]
    assert ranges == [f"bytes={kept}-"]
    assert (model_folder(cache, spk) / SPK_WEIGHTS).read_bytes() == weights
    assert preset_state(PRESET, cache) is PresetState.PRESENT


def test_a_dropped_connection_gives_a_clear_network_error(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELSCOPE_DOWNLOAD_MAX_RETRIES", "1")  # the default retries 5 times
    asr = PRESET.models["asr"]
    hub.behaviours[(asr.model_id, "model.pt")] = Behaviour(drop_after=1000)
    cache = tmp_path / "cache"
    run = DownloadRun(cache)
    events = run.finish()
    assert run.process.returncode == 1
    error = events[-1]
    assert isinstance(error, DownloadError), events[-3:]
    assert error.code is DownloadErrorCode.NETWORK
    assert asr.model_id in error.message and "model.pt" in error.message
    assert "connection" in error.message and hub.url in error.message
    assert not is_complete(model_folder(cache, asr))
    assert preset_model_set(PRESET, cache) is None


def test_a_model_the_hub_lacks_is_reported_as_not_found(hub: HubServer, tmp_path: Path) -> None:
    hub.repos.clear()
    run = DownloadRun(tmp_path / "cache")
    error = run.finish()[-1]
    assert isinstance(error, DownloadError) and error.code is DownloadErrorCode.NOT_FOUND
    assert PRESET.models["asr"].label in error.message and hub.url in error.message


def test_an_unknown_preset_is_a_bad_request(tmp_path: Path) -> None:
    run = DownloadRun(tmp_path / "cache", preset="klingon")
    error = run.finish()[-1]
    assert isinstance(error, DownloadError) and error.code is DownloadErrorCode.BAD_REQUEST
    assert "klingon" in error.message


def test_the_download_module_imports_the_hub_client_only_when_it_downloads() -> None:
    code = (
        "import sys, engine.models.download; "
        "print(sorted(m for m in ('modelscope', 'modelscope_hub', 'torch') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[3],
    )
    assert out.stdout.strip() == "[]"
