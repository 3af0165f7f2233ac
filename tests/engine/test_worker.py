"""The engine worker as a real child process with real (tiny) FunASR models."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from engine import job_runner
from engine import worker as worker_module
from engine.protocol import (
    Error,
    ErrorCode,
    Hello,
    JobOptions,
    Message,
    Progress,
    Result,
    Segment,
    Stage,
    Transcribe,
)
from engine.result_shape import join_words
from tests.engine.worker_process import WorkerProcess

STAGE_ORDER = list(Stage)


@pytest.fixture(scope="module")
def worker(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    log = tmp_path_factory.mktemp("worker") / "stderr.log"
    process = WorkerProcess("--models", str(model_dir), "--threads", "1", stderr_path=log)
    hello = process.next_event(timeout=120)
    assert isinstance(hello, Hello), f"expected hello, got {hello}; log: {log.read_text()[-2000:]}"
    process.hello = hello  # type: ignore[attr-defined]
    yield process
    assert process.close() == 0


def _run(worker: WorkerProcess, job: str, path: Path, **options: object) -> list[Message]:
    worker.send(Transcribe(job=job, path=str(path), options=JobOptions(**options)))  # type: ignore[arg-type]
    return worker.until_end(job)


def _assert_monotonic(progress: list[Progress]) -> None:
    keys = [(STAGE_ORDER.index(p.stage), p.done, p.audio_ms_done) for p in progress]
    assert keys == sorted(keys), f"progress went backwards: {keys}"
    for p in progress:
        assert 0 <= p.done <= p.total


def _silence(path: Path, seconds: float) -> Path:
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds)],
        check=True,
    )
    return path


def test_hello_names_the_loaded_models_and_thread_count(
    worker: WorkerProcess, model_dir: Path
) -> None:
    hello: Hello = worker.hello  # type: ignore[attr-defined]
    assert hello.models["asr"] == str(model_dir / "asr")
    assert hello.models["vad"] == str(model_dir / "vad")
    assert hello.threads == 1 and hello.device == "cpu" and hello.load_seconds > 0


@pytest.mark.parametrize("clip", ["speech_wav", "speech_mp4"])
def test_a_clip_gives_monotonic_progress_segments_and_one_result(
    worker: WorkerProcess, clip: str, request: pytest.FixtureRequest
) -> None:
    path: Path = request.getfixturevalue(clip)
    events = _run(worker, clip, path)
    progress = [e for e in events if isinstance(e, Progress)]
    ends = [e for e in events if isinstance(e, Result | Error)]
    assert len(ends) == 1 and isinstance(ends[0], Result), ends
    assert {p.stage for p in progress} >= {Stage.DECODE, Stage.VAD, Stage.ASR, Stage.PUNC}
    _assert_monotonic(progress)
    assert [e for e in events if isinstance(e, Segment)], "no segment events"
    assert events.index(progress[-1]) < events.index(ends[0])
    transcript = ends[0].transcript
    assert transcript["source"]["duration_ms"] == pytest.approx(6257, abs=100)
    assert transcript["sentences"] and all(s["text"] for s in transcript["sentences"])
    assert all(0 <= s["start"] <= s["end"] <= 6400 for s in transcript["sentences"])


def test_transcript_equals_automodel_generate_on_the_same_array(
    worker: WorkerProcess, model_dir: Path, conversation_wav: Path, tmp_path: Path
) -> None:
    reference_json = tmp_path / "reference.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.engine.reference_generate",
            str(model_dir),
            str(conversation_wav),
            "2",
            str(reference_json),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    reference = json.loads(reference_json.read_text(encoding="utf-8"))
    events = _run(worker, "fidelity", conversation_wav, speakers=2)
    result = events[-1]
    assert isinstance(result, Result)
    sentences = result.transcript["sentences"]
    assert sentences == reference["sentences"]
    raw_info = reference["raw"][0]["sentence_info"]
    # FunASR starts a sentence that opens with a Latin word with a space; we strip it.
    assert [s["text"] for s in sentences] == [join_words(s["text"]).strip() for s in raw_info]
    assert [(s["start"], s["end"], s["speaker"]) for s in sentences] == [
        (s["start"], s["end"], s["spk"]) for s in raw_info
    ]
    assert len({s["speaker"] for s in sentences}) == 2


def test_bad_inputs_each_get_one_specific_error_and_the_worker_keeps_serving(
    worker: WorkerProcess, tmp_path: Path, no_audio_mp4: Path, speech_wav: Path
) -> None:
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "noise.wav").write_bytes(np.random.default_rng(7).bytes(50_000))
    (tmp_path / "notes.wav").write_text("this is a text file, not audio\n" * 20)
    cases = {
        "missing": (tmp_path / "missing.wav", ErrorCode.FILE_NOT_FOUND),
        "empty": (tmp_path / "empty.wav", ErrorCode.DECODE_FAILED),
        "random": (tmp_path / "noise.wav", ErrorCode.DECODE_FAILED),
        "text": (tmp_path / "notes.wav", ErrorCode.DECODE_FAILED),
        "silent-video": (no_audio_mp4, ErrorCode.NO_AUDIO_STREAM),
    }
    for job, (path, code) in cases.items():
        events = _run(worker, job, path)
        ends = [e for e in events if isinstance(e, Result | Error)]
        assert len(ends) == 1 and isinstance(ends[0], Error), (job, ends)
        assert ends[0].code is code, (job, ends[0])
        assert path.name in ends[0].message
    assert isinstance(_run(worker, "after-bad", speech_wav)[-1], Result)


@pytest.mark.parametrize("seconds", [0.2, 10.0])
def test_very_short_clip_and_silence_give_an_empty_transcript(
    worker: WorkerProcess, tmp_path: Path, seconds: float
) -> None:
    path = _silence(tmp_path / f"silence-{seconds}.wav", seconds)
    result = _run(worker, f"silence-{seconds}", path)[-1]
    assert isinstance(result, Result), result
    assert result.transcript["sentences"] == []
    assert result.transcript["source"]["duration_ms"] == int(seconds * 1000)


def test_garbage_on_stdin_is_reported_and_the_worker_keeps_serving(
    worker: WorkerProcess, speech_wav: Path
) -> None:
    assert worker.process.stdin is not None
    worker.process.stdin.write(b"this is not json\n")
    worker.process.stdin.flush()
    report = worker.next_event(timeout=30)
    assert isinstance(report, Error) and report.code is ErrorCode.BAD_REQUEST
    assert report.job is None
    assert isinstance(_run(worker, "after-garbage", speech_wav)[-1], Result)


def test_cancel_of_a_long_job_answers_within_a_second_and_the_next_job_runs(
    worker: WorkerProcess, conversation_wav: Path, speech_wav: Path, tmp_path: Path
) -> None:
    long_audio = tmp_path / "long.wav"
    subprocess.run(["sox", *[str(conversation_wav)] * 20, str(long_audio)], check=True)
    worker.send(Transcribe(job="long", path=str(long_audio)))
    while True:
        event = worker.next_event(timeout=60)
        assert not isinstance(event, Result | Error), f"job ended before cancel: {event}"
        if isinstance(event, Progress) and event.stage is Stage.ASR and event.done >= 1:
            break
    from engine.protocol import Cancel

    sent = time.monotonic()
    worker.send(Cancel(job="long"))
    end = worker.until_end("long", timeout=10)[-1]
    assert time.monotonic() - sent < 1.0
    assert isinstance(end, Error) and end.code is ErrorCode.CANCELLED
    assert isinstance(_run(worker, "after-cancel", speech_wav)[-1], Result)


def test_print_inside_the_model_call_does_not_corrupt_the_stream(
    model_dir: Path, speech_wav: Path, tmp_path: Path
) -> None:
    # Inject noise into FunASR's own inference: Python prints, a C-level write to fd 1,
    # and a half JSON line, all while the model runs.
    noisy = (
        "import os, sys\n"
        "import funasr.auto.auto_model as m\n"
        "original = m.AutoModel.inference\n"
        "def noisy(self, *a, **k):\n"
        '    print(\'{"v": 1, "type": "res\')\n'
        "    os.write(1, b'raw bytes on fd 1\\n')\n"
        "    sys.__stdout__.write('via sys.__stdout__\\n'); sys.__stdout__.flush()\n"
        "    return original(self, *a, **k)\n"
        "m.AutoModel.inference = noisy\n"
        "from engine.worker import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    log = tmp_path / "stderr.log"
    process = WorkerProcess(
        "--models",
        str(model_dir),
        "--threads",
        "1",
        stderr_path=log,
        launcher=[sys.executable, "-c", noisy],
    )
    process.send(Transcribe(job="noisy", path=str(speech_wav)))
    events = [process.next_event(timeout=120), *process.until_end("noisy")]
    assert process.close() == 0
    assert process.bad_lines == []
    assert isinstance(events[0], Hello) and isinstance(events[-1], Result)
    stderr = log.read_bytes()
    assert b"raw bytes on fd 1" in stderr and b"via sys.__stdout__" in stderr
    assert b'{"v": 1, "type": "res' in stderr


def test_two_workers_started_at_once_both_transcribe(
    model_dir: Path, speech_wav: Path, conversation_wav: Path
) -> None:
    workers = [WorkerProcess("--models", str(model_dir), "--threads", "1") for _ in range(2)]
    try:
        for w in workers:
            assert isinstance(w.next_event(timeout=120), Hello)
        for w, path in zip(workers, (speech_wav, conversation_wav), strict=True):
            w.send(Transcribe(job=path.stem, path=str(path)))
        for w, path in zip(workers, (speech_wav, conversation_wav), strict=True):
            result = w.until_end(path.stem)[-1]
            assert isinstance(result, Result), result
            assert result.transcript["sentences"]
    finally:
        assert [w.close() for w in workers] == [0, 0]


# ---- commands and error codes, without a worker process -----------------------------------


class _Sent:
    """A stand-in for the worker's ProtocolWriter that keeps what was sent."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def send(self, message: Message) -> None:
        self.messages.append(message)


def _read(lines: list[bytes], running: str | None = None) -> tuple[worker_module._Inbox, _Sent]:
    inbox, sent = worker_module._Inbox(running=running), _Sent()
    worker_module._read_commands(io.BytesIO(b"".join(lines)), inbox, sent)  # type: ignore[arg-type]
    return inbox, sent


def test_a_transcribe_with_options_of_the_wrong_type_is_answered_bad_request_for_its_job() -> None:
    line = b'{"v":2,"type":"transcribe","job":"j1","path":"p","options":{"diarize":"no"}}\n'
    inbox, sent = _read([line])
    assert inbox.jobs.get_nowait() is None  # nothing to run; then the end of input
    [error] = sent.messages
    assert isinstance(error, Error)
    assert (error.job, error.code) == ("j1", ErrorCode.BAD_REQUEST)
    assert "transcribe.options.diarize: expected true or false" in error.message


def test_shutdown_ends_the_running_job_stopped_and_a_cancel_ends_it_cancelled() -> None:
    shutdown = b'{"v":2,"type":"shutdown"}\n'
    inbox, _ = _read([shutdown], running="j1")
    assert inbox.is_cancelled("j1") and inbox.end_code("j1") is ErrorCode.STOPPED
    inbox, _ = _read([b'{"v":2,"type":"cancel","job":"j1"}\n', shutdown], running="j1")
    assert inbox.end_code("j1") is ErrorCode.CANCELLED


class OutOfMemoryError(RuntimeError):
    """Named like torch's (torch.OutOfMemoryError): told apart by type, not by its text."""


def test_out_of_memory_is_told_by_the_exception_type_not_its_message() -> None:
    assert job_runner.failure("j", MemoryError()).code is ErrorCode.OUT_OF_MEMORY
    assert job_runner.failure("j", OutOfMemoryError("CUDA")).code is ErrorCode.OUT_OF_MEMORY
    text_only = job_runner.failure("j", RuntimeError("CUDA out of memory. Tried to allocate"))
    assert text_only.code is ErrorCode.INTERNAL
