"""Re-cluster speed: a 40-minute two-voice conversation from automatic to 3 speakers and back.

Tiny models (the numbers measure clustering, not the models). The file is transcribed once
(cached with its embeddings sidecar), speakers are named, then re-clustered:

- through the GUI's `ReclusterHelper` (a kept `funscribe recluster --serve` process),
  request to adopted transcript, automatic → 3 → automatic, repeated; the first request
  starts the helper (imports), the warm ones after it have the goal < 2 s each;
- cold: the `funscribe recluster` command, process start to exit (torch and FunASR imports
  included), for comparison;
- a 10 ms GUI-thread timer runs meanwhile (from the first answer on); its lateness must
  stay < 50 ms;
- going back gives the original file exactly, and the names carry over.

    python -m bench.recluster [--seconds 2400]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, child_env, run_child, table, verdict

CACHE = ROOT / "build" / "bench-recluster"
GOALS = {"recluster_s": 2.0, "lateness_ms": 50.0}
NAMES = ("Ada", "Grace")


def prepare(models: Path, audio: Path, speakers: int | None = None) -> Path:
    """Transcribe `audio` once (tiny models, one worker) into CACHE/<stem>.json + sidecar."""
    from bench.worker_client import Worker
    from engine.protocol import JobOptions, Result, Transcribe
    from engine.speakers.embeddings import save_beside, sidecar_path
    from engine.transcript import Transcript

    target = CACHE / f"{audio.stem}-{speakers or 'auto'}.json"
    if target.is_file() and sidecar_path(target).is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    worker = Worker(models)
    try:
        worker.wait_hello()
        worker.send(Transcribe("long", str(audio), JobOptions(speakers=speakers)))
        _, end = worker.until_end("long", timeout=7200)
    finally:
        worker.close()
    if not isinstance(end, Result):
        raise RuntimeError(f"transcription failed: {end}")
    save_beside(end.transcript, target)
    Transcript.from_worker_result(end.transcript).save(target)
    return target


def run(models: Path, audio: Path, rounds: int = 3) -> dict[str, Any]:
    """Time re-clusters of the transcript of `audio` (see the module docstring)."""
    from engine.speakers.embeddings import SpeakerEmbeddings, sidecar_path
    from engine.transcript import Transcript

    original = prepare(models, audio)
    work = CACHE / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "talk.json"
    transcript = Transcript.load(original)
    for index, name in enumerate(NAMES[: len(transcript.speakers)]):
        transcript.rename_speaker(index, name)
    transcript.save(path)
    shutil.copyfile(sidecar_path(original), sidecar_path(path))
    named = path.read_text(encoding="utf-8")
    windows = SpeakerEmbeddings.load(sidecar_path(path)).count

    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.speakers.cli",
            str(path),
            "--speakers",
            "3",
            "--out",
            str(work / "cold"),
        ],
        cwd=ROOT,
        env=child_env(),
        check=True,
        capture_output=True,
        timeout=600,
    )
    cold = time.perf_counter() - started

    child: dict[str, Any] = run_child(
        "bench.recluster",
        ["--child", str(path), "--rounds", str(rounds)],
        timeout=1800,
        QT_QPA_PLATFORM="offscreen",
    )
    back = path.read_text(encoding="utf-8")
    return {
        "audio_seconds": Transcript.load(path).duration_ms / 1000,
        "windows": windows,
        "sentences": len(transcript.sentences),
        "speakers_auto": len(transcript.speakers),
        "cold_cli_s": round(cold, 3),
        **child,
        "back_to_original_exact": back == named,
    }


def child(path: Path, rounds: int) -> dict[str, Any]:
    """In a QtCore loop: the GUI's helper answers auto → 3 → auto; a 10 ms timer ticks."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, QTimer, Signal

    from engine.transcript import Transcript
    from gui.recluster_dialog import ReclusterHelper

    app = QCoreApplication([])
    helper = ReclusterHelper()
    plan: list[int | None] = [3, None] * rounds
    times: list[float] = []
    names: list[list[str | None]] = []
    lateness: list[float] = []
    clock = QElapsedTimer()
    state: dict[str, Any] = {"sent": 0.0, "last": None, "ticking": False}

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if state["last"] is not None and state["ticking"]:
            lateness.append(max(0.0, now - state["last"] - 10))
        state["last"] = now

    def send_next() -> None:
        if not plan:
            app.quit()
            return
        state["sent"] = time.perf_counter()
        helper.request(path, plan.pop(0))

    def on_done(_: str, transcript: Transcript) -> None:
        times.append(time.perf_counter() - state["sent"])
        names.append([s.name for s in transcript.speakers])
        state["ticking"] = True  # lateness counts from the warm helper on

        def save() -> None:  # off the GUI thread, as gui/transcript_writer saves
            transcript.save(path)
            bridge.saved.emit()

        threading.Thread(target=save, daemon=True).start()

    class Bridge(QObject):
        saved = Signal()

    bridge = Bridge()
    bridge.saved.connect(send_next)  # queued: emitted from the saving thread

    def on_failed(_: str, why: str) -> None:
        state["error"] = why
        app.quit()

    helper.done.connect(on_done)
    helper.failed.connect(on_failed)
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    send_next()
    app.exec()
    helper.shutdown()
    if "error" in state:
        raise RuntimeError(state["error"])
    lateness.sort()
    return {
        "first_s": round(times[0], 3),
        "warm_s": [round(t, 3) for t in times[1:]],
        "warm_max_s": round(max(times[1:]), 3),
        "names": names,
        "lateness_p99_ms": round(lateness[int(0.99 * (len(lateness) - 1))], 1),
        "lateness_max_ms": round(lateness[-1], 1),
        "ticks": len(lateness),
    }


def markdown(result: dict[str, Any]) -> str:
    """The timings against their goals."""
    warm = result["warm_max_s"]
    late = result["lateness_max_ms"]
    rows = [
        [
            "re-cluster, warm helper (max)",
            f"< {GOALS['recluster_s']} s",
            f"{warm:.3f} s",
            verdict(warm < GOALS["recluster_s"]),
        ],
        [
            "GUI timer lateness (max)",
            f"< {GOALS['lateness_ms']:.0f} ms",
            f"{late:.1f} ms",
            verdict(late < GOALS["lateness_ms"]),
        ],
        [
            "back to the original count",
            "identical JSON",
            str(result["back_to_original_exact"]),
            verdict(result["back_to_original_exact"]),
        ],
    ]
    return "\n".join(
        [
            f"{result['audio_seconds'] / 60:.1f} min, {result['windows']} speaker windows, "
            f"{result['sentences']} sentences, {result['speakers_auto']} speakers found "
            "automatically (tiny models).",
            "",
            table(["goal", "target", "measured", ""], rows),
            "",
            f"First request (starts the helper): {result['first_s']} s. Warm re-clusters"
            f" (auto → 3 → auto …): {result['warm_s']} s; names after each (from the first): "
            f"{result['names']}. Cold `funscribe recluster` process (imports included): "
            f"{result['cold_cli_s']} s.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recluster")
    parser.add_argument("--child", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2400)
    args = parser.parse_args(argv)
    if args.child:
        from bench.common import emit

        emit(child(args.child, args.rounds))
        return 0
    from bench.audio import make_files
    from engine.testing.tiny_models import build_model_set

    models = build_model_set(ROOT / "build" / "tiny-models")
    audio = make_files(1, args.seconds, folder=CACHE / "audio")[0]
    result = run(models, audio, args.rounds)
    print(json.dumps(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
