"""Speakers after transcription: kept embeddings, re-clustering, and the voice library.

- `embeddings`: the sidecar format (`X.speakers.npz` beside `X.json`) and the worker payload;
- `capture`: inside the worker, keeps what FunASR clusters (hooked in `engine.backend`);
- `recluster`, `naming`: FunASR's clustering and assignment again, names carried over;
- `cli`, `service`: `funscribe recluster`, and its `--serve` mode the GUI keeps warm;
- `library`, `suggest`: the voice library file and name suggestions.

`embeddings`, `naming`, `library` and `suggest` need only numpy, so the GUI may use them;
`capture` and `recluster` import FunASR (torch, sklearn): worker or helper process only.
"""
