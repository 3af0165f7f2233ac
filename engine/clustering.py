"""FunASR's speaker clustering (CAM++ ClusterBackend), made deterministic, honest and observable.

`ClusterBackend.forward` (funasr/models/campplus/cluster_backend.py) picks a path by the
number of 1.5 s speaker windows N:
- N < 20: every window is speaker 0, even when the user fixed the count. With a fixed count
  we run FunASR's own k-means (`KMeansCluster`, seeded) on those few windows instead.
- N < 2048: spectral clustering, whose final `k_means` call has no `random_state`, so it
  draws from numpy's global RNG: the same file could get other labels in another process.
- N >= 2048 (about 26 minutes of speech): k-means for a fixed count (seeded by FunASR),
  otherwise UMAP + HDBSCAN, where FunASR gives UMAP no `random_state`; UMAP then runs its
  numba code in parallel threads, whose result depends on scheduling.
`Clustering` stands in for the backend on our AutoModel: it seeds numpy's global RNG for the
call (and restores it afterwards), gives UMAP a fixed `random_state` (which also makes it
single-threaded, the price of "same labels every run"), handles the short case above, and
tells a listener when clustering starts and ends, with per-stage timings.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

SEED = 0
FUNASR_MIN_WINDOWS = 20  # below this FunASR labels every window 0
FUNASR_LARGE_WINDOWS = 2048  # from this on: k-means (fixed count) or UMAP + HDBSCAN
NUMBA_CACHE_ENV = "NUMBA_CACHE_DIR"
# Where each clustering call appends its report as a JSON line (measurements, tests).
REPORT_LOG_ENV = "FUNSCRIBE_CLUSTER_LOG"


@dataclass
class ClusterReport:
    """One clustering call: how many windows, which path, and where the time went (s)."""

    windows: int
    speakers_asked: int | None
    path: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    speakers_found: int = 0


Listener = Callable[[ClusterReport, bool], None]  # (report, finished)


class Clustering:
    """A drop-in for `AutoModel.cb_model`: FunASR's backend, seeded, with fixed counts kept."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.listener: Listener | None = None
        self.last: ClusterReport | None = None
        umap_hdbscan = getattr(backend, "umap_hdbscan_cluster", None)
        if umap_hdbscan is not None:
            backend.umap_hdbscan_cluster = SeededUmapHdbscan(umap_hdbscan, self)

    @property
    def model_config(self) -> dict[str, Any]:
        """FunASR's settings (merge threshold), as the backend exposes them."""
        return dict(getattr(self.backend, "model_config", {}) or {})

    def __call__(self, x: Any, **params: Any) -> Any:
        oracle = params.get("oracle_num")
        vectors = x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)
        report = ClusterReport(windows=len(vectors), speakers_asked=oracle)
        report.path = path_for(report.windows, oracle)
        self.last = report
        if self.listener is not None:
            self.listener(report, False)
        started = time.perf_counter()
        with seeded_numpy(SEED):
            if report.path == "short-kmeans" and oracle is not None:
                labels = self.backend.kmeans_cluster(vectors, min(int(oracle), len(vectors)))
            else:
                labels = self.backend(x, **params)
        report.seconds["total"] = time.perf_counter() - started
        labels = np.asarray(labels)
        report.speakers_found = int(labels.max()) + 1 if labels.size else 0
        log.info("clustering: %s", report)
        _append_to_log(report)
        if self.listener is not None:
            self.listener(report, True)
        return labels


def _append_to_log(report: ClusterReport) -> None:
    target = os.environ.get(REPORT_LOG_ENV)
    if not target:
        return
    line = json.dumps(asdict(report), sort_keys=True)
    with open(target, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def path_for(windows: int, oracle: int | None) -> str:
    """Which clustering path `windows` windows take (with our short-file rule)."""
    if windows < FUNASR_MIN_WINDOWS:
        return "short-kmeans" if oracle is not None and oracle > 1 and windows > 1 else "single"
    if windows < FUNASR_LARGE_WINDOWS:
        return "spectral"
    return "kmeans" if oracle is not None else "umap-hdbscan"


class SeededUmapHdbscan:
    """FunASR's UmapHdbscan with the same settings, UMAP given a `random_state`."""

    def __init__(self, original: Any, owner: Clustering) -> None:
        self.original = original
        self.owner = owner

    def __call__(self, x: Any) -> Any:
        from sklearn.cluster import HDBSCAN

        seconds = self.owner.last.seconds if self.owner.last is not None else {}
        started = time.perf_counter()
        import umap.umap_ as umap

        seconds["umap_import"] = time.perf_counter() - started
        o = self.original
        started = time.perf_counter()
        reduced = umap.UMAP(
            n_neighbors=o.n_neighbors,
            min_dist=0.0,
            n_components=min(o.n_components, x.shape[0] - 2),
            metric=o.metric,
            random_state=SEED,
        ).fit_transform(x)
        seconds["umap"] = time.perf_counter() - started
        started = time.perf_counter()
        labels = HDBSCAN(
            min_samples=o.min_samples,
            min_cluster_size=o.min_cluster_size,
            allow_single_cluster=True,
        ).fit_predict(reduced)
        seconds["hdbscan"] = time.perf_counter() - started
        return labels


@contextmanager
def seeded_numpy(seed: int) -> Iterator[None]:
    """numpy's global RNG at `seed` for the block, then back where it was."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def use_numba_cache(data_dir: Path | None = None) -> Path | None:
    """Point numba's on-disk cache (UMAP's compiled code) at the app's data folder.

    The default is `__pycache__` beside each source file, which a frozen app does not have
    and an installed one may not be allowed to write. Kept if the user set one already.
    Must run before `umap` is imported (FunASR imports it at clustering time).
    """
    if os.environ.get(NUMBA_CACHE_ENV):
        return Path(os.environ[NUMBA_CACHE_ENV])
    folder = (data_dir or _data_dir()) / "numba-cache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    os.environ[NUMBA_CACHE_ENV] = str(folder)
    try:
        import numba

        # numba read its config when first imported (FunASR imports it via librosa).
        numba.config.CACHE_DIR = str(folder)  # type: ignore[attr-defined]
    except ImportError:
        pass
    return folder


def _data_dir() -> Path:
    from engine.models.cache import DATA_DIR_ENV

    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("FunScribe", "FunScribe", roaming=False))
