"""Model tests: a local hub serving the tiny model set as the zh preset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.models.presets import PRESETS
from tests.engine.models.hub_server import HubServer, hub_server


@pytest.fixture
def hub(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    """The tiny model set published under the zh preset's IDs; the client pointed at it."""
    preset = PRESETS["zh"]
    with hub_server() as server:
        server.publish({r: (m.model_id, m.revision) for r, m in preset.models.items()}, model_dir)
        monkeypatch.setenv("MODELSCOPE_ENDPOINT", server.url)
        # The client's config folder (tokens) and cache stay inside the test.
        monkeypatch.setenv("MODELSCOPE_HOME", str(tmp_path / "ms-home"))
        monkeypatch.setenv("MODELSCOPE_CACHE", str(tmp_path / "ms-cache"))
        yield server
