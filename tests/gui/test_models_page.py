"""The Models page: preset states, and a progress bar driven by the real download process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.models.cache import PresetState, mark_complete, model_folder, preset_state
from engine.models.download_protocol import DownloadProgress
from engine.models.presets import PRESETS
from gui.models_first_run import FirstRunDialog, models_missing
from gui.models_page import ModelsPage
from tests.engine.models.hub_server import Behaviour, HubServer, hub_server

ZH = PRESETS["zh"]
DOWNLOAD_TIMEOUT_MS = 90_000


@pytest.fixture
def hub(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    """The tiny model set published as the zh preset; the download process pointed at it."""
    with hub_server() as server:
        server.publish({r: (m.model_id, m.revision) for r, m in ZH.models.items()}, model_dir)
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", server.url)
        monkeypatch.setenv("MODELSCOPE_HOME", str(tmp_path / "ms-home"))
        yield server


@pytest.fixture
def page(qtbot, tmp_path: Path) -> Iterator[ModelsPage]:
    widget = ModelsPage(tmp_path / "cache")
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def _mark_present(cache: Path, key: str) -> None:
    for ref in PRESETS[key].models.values():
        folder = model_folder(cache, ref)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.pt").write_bytes(b"w")
        mark_complete(folder, ref)


def test_an_empty_cache_shows_every_preset_missing_with_a_download_button(page: ModelsPage) -> None:
    for key in ("zh", "en"):
        assert page.state_text(key) == "Missing"
        assert page.action_button(key).text() == "Download"
        assert not page.progress_bar(key).isVisible()
    assert "local" not in page._rows


def test_present_and_partial_presets_offer_remove_and_resume(qtbot, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _mark_present(cache, "zh")  # en shares vad, punc and spk, so it is partly there
    page = ModelsPage(cache)
    qtbot.addWidget(page)
    assert (page.state_text("zh"), page.action_button("zh").text()) == ("Present", "Remove")
    assert (page.state_text("en"), page.action_button("en").text()) == (
        "Partly downloaded",
        "Resume",
    )


def test_a_download_drives_the_progress_bar_until_the_preset_is_present(
    qtbot, hub: HubServer, page: ModelsPage
) -> None:
    seen: list[tuple[int, int, str, bool]] = []

    def record(progress: DownloadProgress) -> None:
        bar = page.progress_bar("zh")
        seen.append((bar.value(), bar.maximum(), page.state_text("zh"), bar.isVisible()))

    with qtbot.waitSignal(page.modelsChanged, timeout=DOWNLOAD_TIMEOUT_MS):
        page.action_button("zh").click()
        assert page.action_button("zh").text() == "Cancel"
        assert not page.action_button("en").isEnabled()  # one download at a time
        assert page.job is not None
        page.job.progressed.connect(record)
    assert seen, "no progress reached the page"
    assert all(visible and text.startswith("Downloading") for _, _, text, visible in seen)
    values = [value for value, _, _, _ in seen]
    assert values == sorted(values) and seen[-1][0] == seen[-1][1]
    assert seen[-1][2].startswith("Downloading 100%")
    assert page.state_text("zh") == "Present" and page.action_button("zh").text() == "Remove"
    assert not page.progress_bar("zh").isVisible() and page.action_button("en").isEnabled()

    page.confirm = lambda question: True
    with qtbot.waitSignal(page.modelsChanged):
        page.action_button("zh").click()
    assert page.state_text("zh") == "Missing"


def test_cancel_stops_the_download_and_leaves_it_to_resume(
    qtbot, hub: HubServer, page: ModelsPage
) -> None:
    asr = ZH.models["asr"]
    stall = Behaviour(stall_after=1000)
    hub.behaviours[(asr.model_id, "model.pt")] = stall
    page.action_button("zh").click()
    qtbot.waitUntil(stall.stalled.is_set, timeout=DOWNLOAD_TIMEOUT_MS)
    with qtbot.waitSignal(page.downloadFinished) as finished:
        page.action_button("zh").click()  # now "Cancel"
    stall.release.set()
    assert finished.args == ["zh", False, "cancelled"]
    assert preset_state(ZH, page.cache) is not PresetState.PRESENT
    assert page.action_button("zh").text() in ("Download", "Resume")
    assert not page.notice.isVisible()


def test_a_failed_download_says_why(qtbot, hub: HubServer, page: ModelsPage) -> None:
    hub.repos.clear()
    with qtbot.waitSignal(page.downloadFinished, timeout=DOWNLOAD_TIMEOUT_MS) as finished:
        page.download("zh")
    key, ok, message = finished.args
    assert (key, ok) == ("zh", False) and "does not have" in message
    assert page.state_text("zh") == "Download failed"
    assert page.notice.isVisible() and ZH.models["asr"].model_id in page.notice.text()


def test_the_first_run_offer_appears_only_without_models(qtbot, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert models_missing("zh", "", cache)
    assert not models_missing("zh", "/my/models", cache)
    assert not models_missing("local", "", cache)
    _mark_present(cache, "zh")
    assert not models_missing("zh", "", cache)
    dialog = FirstRunDialog(cache)
    qtbot.addWidget(dialog)
    assert dialog.page.state_text("zh") == "Present"


def test_the_page_never_imports_the_hub_client_torch_or_funasr() -> None:
    code = (
        "import sys, gui.models_page, gui.models_first_run; "
        "print(sorted(m for m in ('modelscope', 'torch', 'funasr') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert out.stdout.strip() == "[]"
