"""`funscribe models list|download|verify|remove` (engine.models.cli.main)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from engine.models.cache import PresetState, preset_state
from engine.models.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from engine.models.presets import PRESETS
from engine.models.verify import FIX_HINT
from tests.engine.models.hub_server import HubServer


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_list_shows_each_preset_state_size_and_features(tmp_path: Path) -> None:
    status, text = _run("--cache", str(tmp_path), "list")
    assert status == EXIT_OK
    zh = next(line for line in text.splitlines() if line.startswith("zh "))
    assert "missing" in zh and "~" in zh and "hotwords" in zh and "speakers" in zh
    en = next(line for line in text.splitlines() if line.startswith("en "))
    assert "hotwords" not in en
    assert f"cache: {tmp_path}" in text


def test_verify_passes_a_good_folder_and_names_what_a_broken_one_lacks(
    model_dir: Path, tmp_path: Path
) -> None:
    assert _run("verify", str(model_dir)) == (EXIT_OK, f"{model_dir}: ok\n")
    broken = tmp_path / "broken"
    shutil.copytree(model_dir, broken)
    (broken / "punc" / "config.yaml").unlink()
    status, text = _run("verify", str(broken))
    assert status == EXIT_FAILED
    assert "BROKEN" in text and "punctuation model" in text and "config.yaml" in text
    assert FIX_HINT in text


def test_verify_without_a_folder_needs_a_downloaded_preset(tmp_path: Path) -> None:
    status, text = _run("--cache", str(tmp_path), "verify")
    assert status == EXIT_FAILED and "models download zh" in text


def test_an_unknown_preset_is_a_usage_error(tmp_path: Path) -> None:
    assert _run("--cache", str(tmp_path), "download", "klingon")[0] == EXIT_USAGE


def test_download_verify_and_remove_a_preset(hub: HubServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    status, text = _run("--cache", str(cache), "download", "zh")
    assert status == EXIT_OK, text
    assert "downloading zh" in text and "zh is ready" in text and "100.0%" in text
    assert preset_state(PRESETS["zh"], cache) is PresetState.PRESENT
    status, text = _run("--cache", str(cache), "verify")
    assert status == EXIT_OK and "zh" in text and "ok" in text
    status, text = _run("--cache", str(cache), "remove", "zh")
    assert status == EXIT_OK and "removed 4 model folder(s)" in text
    assert preset_state(PRESETS["zh"], cache) is PresetState.MISSING
