"""Speakers after transcription: kept embeddings, re-clustering, and the voice library.

`embeddings` (the sidecar format) and `library`/`naming`/`suggest` need only numpy, so the
GUI may use them; `capture` runs inside the worker, and `recluster` imports FunASR's
clustering code (torch, sklearn), so it runs in the worker or a helper process.
"""
