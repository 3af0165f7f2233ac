"""Same-voice and different-voice similarities of voice-library matches, through the pipeline.

The evidence for the suggestion threshold (engine/speakers/suggest.py). Voices the voice CAM++
never trained on (engine/testing/voice_campplus.py) each speak two files with different
lines, one voice a file. A worker transcribes every file with the tiny models and the voice
CAM++; each file's speaker is averaged as the library saves a voice (mean of unit window
embeddings), and every voice's first file is compared with every voice's second file.

    python -m bench.voice_threshold [--models build/tiny-models]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import numpy as np

from bench.common import ROOT
from engine.testing import speech
from engine.testing.voice_campplus import FOLDER, HELD_OUT, build

# More espeak-ng variants the voice CAM++ never trained on, besides the tests' HELD_OUT.
UNSEEN = ("norbert", "shelby", "travis", "victor", "sandro", "marcelo", "grandma", "klatt")
HALVES = (speech.LINES[0:4], speech.LINES[4:8])


def model_set(models: Path, folder: Path) -> Path:
    """`models` with the voice CAM++ as its speaker model (links)."""
    for role in ("asr", "vad", "punc"):
        (folder / role).symlink_to((models / role).resolve(), target_is_directory=True)
    spk = build(models / FOLDER)
    (folder / "spk").symlink_to(spk.resolve(), target_is_directory=True)
    return folder


def voice_means(
    models: Path, work: Path, voices: tuple[str, ...]
) -> dict[tuple[str, int], np.ndarray]:
    """Each (voice, half): the library's vector of the file's one speaker."""
    from bench.worker_client import Worker
    from engine.protocol import JobOptions, Result, Transcribe
    from engine.speakers.embeddings import take_from_result
    from engine.speakers.library import mean_of_units
    from engine.speakers.suggest import speaker_vectors
    from engine.transcript import Transcript

    worker = Worker(models)
    means = {}
    try:
        worker.wait_hello()
        for variant, half in itertools.product(voices, (0, 1)):
            turns = [speech.Turn(f"en-us+{variant}", line) for line in HALVES[half]]
            wav = speech.make_conversation(work / f"{variant}-{half}.wav", turns)
            job = f"{variant}-{half}"
            worker.send(Transcribe(job, str(wav), JobOptions(speakers=1)))
            _, end = worker.until_end(job)
            if not isinstance(end, Result):
                raise RuntimeError(f"{job}: {end}")
            embeddings = take_from_result(end.transcript)
            assert embeddings is not None
            transcript = Transcript.from_worker_result(end.transcript)
            means[variant, half] = mean_of_units(speaker_vectors(transcript, embeddings, 0))
    finally:
        worker.close()
    return means


def main(argv: list[str] | None = None) -> int:
    """Print both distributions and where the default threshold lies."""
    from engine.speakers.suggest import DEFAULT_THRESHOLD, cosine

    parser = argparse.ArgumentParser(prog="python -m bench.voice_threshold")
    parser.add_argument("--models", type=Path, default=ROOT / "build" / "tiny-models")
    args = parser.parse_args(argv)
    voices = (*HELD_OUT, *UNSEEN)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "models").mkdir()
        means = voice_means(model_set(args.models, work / "models"), work, voices)
    same = sorted(cosine(means[v, 0], means[v, 1]) for v in voices)
    different = sorted(
        cosine(means[v, 0], means[w, 1]) for v, w in itertools.permutations(voices, 2)
    )
    for name, values in (("same voice", same), ("different voices", different)):
        q = np.percentile(values, [0, 5, 50, 95, 100])
        print(f"{name} ({len(values)} pairs): min {q[0]:.3f}  5% {q[1]:.3f}  median {q[2]:.3f}"
              f"  95% {q[3]:.3f}  max {q[4]:.3f}")  # fmt: skip
    print("same:", " ".join(f"{x:.3f}" for x in same))
    print("different, highest 10:", " ".join(f"{x:.3f}" for x in different[-10:]))
    wrong = sum(x < DEFAULT_THRESHOLD for x in same) + sum(
        x >= DEFAULT_THRESHOLD for x in different
    )
    print(
        f"threshold {DEFAULT_THRESHOLD}: {wrong} of {len(same) + len(different)} pairs"
        " on the wrong side"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
