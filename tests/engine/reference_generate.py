"""Reference run for fidelity tests: plain `AutoModel.generate` on the decoded array.

Run as a script (a separate process keeps torch out of the test runner):
    python reference_generate.py MODELS_DIR AUDIO SPEAKERS OUT_JSON [AUDIO SPEAKERS OUT_JSON ...]
(several files: the models load once).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from engine.audio import decode_audio
from engine.model_set import ModelSet
from engine.protocol import JobOptions


def main(models_dir: str, *jobs: str) -> None:
    import torch
    from funasr import AutoModel

    from engine.backend import Backend
    from engine.result_shape import sentences_from_funasr

    torch.set_num_threads(1)
    kwargs = Backend.automodel_kwargs(ModelSet.from_dir(models_dir), threads=1, device="cpu")
    model = AutoModel(**kwargs)
    _seed_clustering(model)
    for at in range(0, len(jobs), 3):
        audio_path, speakers, out_path = jobs[at : at + 3]
        options = JobOptions(speakers=int(speakers) if speakers != "auto" else None)
        raw = model.generate(input=decode_audio(audio_path), **Backend.generate_kwargs(options))
        with open(out_path, "w", encoding="utf-8") as out:
            json.dump({"raw": _plain(raw), "sentences": sentences_from_funasr(raw)}, out)


def _seed_clustering(model: Any) -> None:
    """FunASR's spectral clustering ends in a k-means that draws from numpy's global RNG, so
    plain FunASR labels speakers differently from run to run on some files; the worker
    seeds that RNG for the call (engine.clustering), and so does this reference. Nothing
    else of FunASR's clustering changes."""
    from engine.clustering import SEED, seeded_numpy

    backend = getattr(model, "cb_model", None)
    if backend is None:
        return

    def cluster(x: Any, **params: Any) -> Any:
        with seeded_numpy(SEED):
            return backend(x, **params)

    model.cb_model = cluster


def _plain(value: object) -> object:
    """JSON-able copy of FunASR's output (tensors and arrays become lists)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()  # type: ignore[no-any-return,union-attr]
    return value


if __name__ == "__main__":
    main(*sys.argv[1:])
