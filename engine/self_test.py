"""`funscribe --self-test [MODELS_DIR]`: transcribe a bundled clip and print a one-line verdict."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from engine.pool.launcher import worker_command, worker_environment
from engine.protocol import Error, Hello, LineReader, Message, Result, Transcribe, encode

CLIP_NAME = "selftest.m4a"
TIMEOUT_SECONDS = 300


def bundled_clip() -> Path:
    """The short speech clip shipped in resources/ (source tree or frozen bundle)."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
    return base / "resources" / CLIP_NAME


def run(models_args: list[str]) -> tuple[bool, str]:
    """Start one worker, transcribe the clip, and say what happened."""
    program, args = worker_command(models_args, threads=1)
    process = subprocess.Popen(
        [program, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=worker_environment(),
    )
    stderr_tail: list[bytes] = []
    threading.Thread(target=_drain, args=(process, stderr_tail), daemon=True).start()
    # A worker that hangs without writing a line would block the read below for ever.
    watchdog = threading.Timer(TIMEOUT_SECONDS, process.kill)
    watchdog.start()
    try:
        return _converse(process)
    except EOFError:
        code = process.wait()
        if not watchdog.is_alive():
            return False, f"no answer from the worker in {TIMEOUT_SECONDS} s"
        tail = b"".join(stderr_tail[-5:]).decode("utf-8", "replace").strip()
        return False, f"worker exited with code {code}: {tail[-300:]}"
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        process.wait()


def _converse(process: subprocess.Popen[bytes]) -> tuple[bool, str]:
    assert process.stdin is not None and process.stdout is not None
    reader = LineReader()
    started = time.perf_counter()
    clip = bundled_clip()
    for message in _messages(process, reader):
        if isinstance(message, Hello):
            process.stdin.write(encode(Transcribe(job="self-test", path=str(clip))))
            process.stdin.flush()
        elif isinstance(message, Error):
            return False, f"{message.code.value}: {message.message}"
        elif isinstance(message, Result):
            process.stdin.close()
            seconds = time.perf_counter() - started
            sentences = len(message.transcript["sentences"])
            audio = message.transcript["source"]["duration_ms"] / 1000
            return True, f"{sentences} sentence(s) from {audio:.1f} s of audio in {seconds:.1f} s"
    raise EOFError


def _messages(process: subprocess.Popen[bytes], reader: LineReader) -> Iterator[Message]:
    assert process.stdout is not None
    for line in process.stdout:
        yield from reader.feed(line)


def _drain(process: subprocess.Popen[bytes], tail: list[bytes]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        tail.append(line)
        del tail[:-20]


def main(argv: list[str]) -> int:
    """Exit 0 and print `self-test OK: ...`, or exit 1 and print `self-test FAILED: ...`."""
    if argv:
        models_args = ["--models", argv[0]]
    else:
        from engine.models.cache import default_cache_dir, preset_model_set
        from engine.models.presets import PRESETS

        models = preset_model_set(PRESETS["zh"], default_cache_dir())
        if models is None:
            print("self-test FAILED: no models; run `funscribe models download zh` first")
            return 1
        models_args = models.worker_args()
    ok, detail = run(models_args)
    print(f"self-test {'OK' if ok else 'FAILED'}: {detail}")
    return 0 if ok else 1
