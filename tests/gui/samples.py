"""Hand-made data shaped like what the engine produces."""

from __future__ import annotations

from pathlib import Path


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


def tokened_result(path: str) -> dict:
    """Four sentences from two speakers, one token per word (500 ms each, 100 ms apart)."""
    lines = [
        (0, "Good morning, thank you all for coming.", 7),
        (5000, "Thanks. Let us start with the budget.", 3),
        (10000, "The numbers look better than last year.", 7),
        (15000, "Great, then the budget is settled.", 3),
    ]
    sentences = []
    for start, text, speaker in lines:
        words = text.split()
        tokens = [
            {"text": w, "start": start + 600 * n, "end": start + 600 * n + 500}
            for n, w in enumerate(words)
        ]
        end = start + 600 * len(words) - 100
        sentences.append(
            {"start": start, "end": end, "text": text, "speaker": speaker, "tokens": tokens}
        )
    return {
        "version": 1,
        "source": {"path": path, "duration_ms": 20000},
        "models": {"asr": "asr"},
        "sentences": sentences,
    }


def save_tokened_session(folder: Path, source: Path, job_id: str = "job") -> None:
    """A saved session in `folder`: one finished job whose transcript is `tokened_result`."""
    from engine.pool.jobs import Job, JobState
    from engine.transcript import Transcript
    from gui.session_store import SessionStore

    store = SessionStore(folder)
    store.save_transcript(job_id, Transcript.from_worker_result(tokened_result(str(source))))
    store.save_jobs([Job(id=job_id, path=str(source), state=JobState.DONE, percent=100.0)])
