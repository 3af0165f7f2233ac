"""Speaker clustering through FunASR's own ClusterBackend, as engine.clustering wraps it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from funasr.models.campplus.cluster_backend import ClusterBackend

from engine.clustering import (
    FUNASR_LARGE_WINDOWS,
    FUNASR_MIN_WINDOWS,
    Clustering,
    ClusterReport,
    path_for,
    use_numba_cache,
)
from engine.model_set import ModelSet
from engine.testing import speech
from tests.engine import pipeline


def _embeddings(windows: int, seed: int = 7) -> torch.Tensor:
    # Unstructured points: k-means ends in a different local optimum for another start.
    return torch.from_numpy(np.random.default_rng(seed).normal(size=(windows, 32))).float()


def test_funasr_alone_puts_every_window_of_a_short_file_in_one_speaker() -> None:
    labels = ClusterBackend()(_embeddings(FUNASR_MIN_WINDOWS - 1), oracle_num=2)
    assert set(labels.tolist()) == {0}  # the defect the wrapper exists for


def test_a_fixed_count_is_honoured_below_funasrs_20_windows() -> None:
    clustering = Clustering(ClusterBackend())
    labels = clustering(_embeddings(FUNASR_MIN_WINDOWS - 1), oracle_num=3)
    assert len(set(labels.tolist())) == 3
    assert clustering.last is not None and clustering.last.path == "short-kmeans"


def test_a_short_file_without_a_count_stays_one_speaker_as_in_funasr() -> None:
    labels = Clustering(ClusterBackend())(_embeddings(FUNASR_MIN_WINDOWS - 1))
    assert set(labels.tolist()) == {0}


def test_spectral_labels_do_not_depend_on_numpys_global_random_state() -> None:
    clustering = Clustering(ClusterBackend())
    x = _embeddings(300)
    runs = []
    for seed in range(4):
        np.random.seed(seed)
        runs.append(clustering(x, oracle_num=6).tolist())
    assert all(run == runs[0] for run in runs)


def test_clustering_leaves_numpys_global_random_state_as_it_found_it() -> None:
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    Clustering(ClusterBackend())(_embeddings(50), oracle_num=2)
    assert np.random.random() == expected


def test_the_listener_hears_the_window_count_before_and_the_result_after() -> None:
    heard: list[tuple[int, bool, int]] = []
    clustering = Clustering(ClusterBackend())

    def listener(report: ClusterReport, finished: bool) -> None:
        heard.append((report.windows, finished, report.speakers_found))

    clustering.listener = listener
    clustering(_embeddings(40), oracle_num=2)
    assert heard == [(40, False, 0), (40, True, 2)]


@pytest.mark.parametrize(
    ("windows", "oracle", "path"),
    [
        (5, None, "single"),
        (5, 2, "short-kmeans"),
        (100, None, "spectral"),
        (FUNASR_LARGE_WINDOWS, 2, "kmeans"),
        (FUNASR_LARGE_WINDOWS, None, "umap-hdbscan"),
    ],
)
def test_paths_follow_funasrs_window_thresholds(
    windows: int, oracle: int | None, path: str
) -> None:
    assert path_for(windows, oracle) == path


def test_numba_caches_in_the_app_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numba

    # Recorded so that both are put back afterwards.
    monkeypatch.setenv("NUMBA_CACHE_DIR", "")
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    monkeypatch.setattr(numba.config, "CACHE_DIR", numba.config.CACHE_DIR)
    folder = use_numba_cache(tmp_path)
    assert folder == tmp_path / "numba-cache" and folder.is_dir()
    assert str(folder) == numba.config.CACHE_DIR


# ---- through the worker's backend: a short two-voice file with a fixed count ----------------


@pytest.fixture(scope="module")
def short_dialogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not speech.tools_available():
        pytest.skip("espeak-ng and sox are needed to make speech")
    turns = [
        speech.Turn(voice="en-us+m3", line=speech.LINES[0], pause_after=0.8),
        speech.Turn(voice="en-us+f4", line=speech.LINES[1], pause_after=0.8),
    ]
    return speech.make_conversation(tmp_path_factory.mktemp("audio") / "short.wav", turns)


@pytest.fixture(scope="module")
def backend(model_dir: Path) -> Any:
    return pipeline.load(ModelSet.from_dir(model_dir))


@pytest.mark.slow
def test_two_speakers_asked_for_on_a_short_file_are_two_in_the_transcript(
    backend: Any, short_dialogue: Path
) -> None:
    from engine.result_shape import sentences_from_funasr

    raw = pipeline.run(backend, short_dialogue, speakers=2)
    report = backend.clustering.last
    assert report.windows < FUNASR_MIN_WINDOWS and report.path == "short-kmeans"
    assert {s["speaker"] for s in sentences_from_funasr(raw)} == {0, 1}
