"""Hand-made data shaped like what the engine produces."""

from __future__ import annotations


def worker_transcript(path: str) -> dict:
    """A worker-shaped result: four sentences from two speakers (raw cluster ids 7 and 3)."""
    lines = [
        (0, 2400, "Good morning, thank you all for coming.", 7),
        (2600, 5200, "Thanks. Let us start with the budget.", 3),
        (5400, 8000, "The numbers look better than last year.", 7),
        (8200, 10400, "Great, then the budget is settled.", 3),
    ]
    return {
        "version": 1,
        "source": {"path": path, "duration_ms": 10400},
        "models": {"asr": "asr", "vad": "vad", "punc": "punc", "spk": "spk"},
        "sentences": [
            {"start": s, "end": e, "text": t, "speaker": spk, "tokens": []}
            for s, e, t, spk in lines
        ],
    }
