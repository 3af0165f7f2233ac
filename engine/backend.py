"""The FunASR pipeline: the only module that imports torch and funasr.

Progress and cancel points come from wrapping the `inference` method of our own `AutoModel`
instance: `AutoModel.inference_with_vad` calls it once for VAD, once per speech segment for
ASR and speaker embeddings, and once for punctuation. The wrapper counts those calls and
checks for cancel between them, and otherwise passes every argument through untouched, so the
output is `AutoModel.generate`'s own, by construction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from funasr import AutoModel

from engine import funasr_fixes, speaker_batching
from engine.asr_language import is_english_vocabulary
from engine.batches.calls import BatchReady, PlanReady, SplitCalls
from engine.batches.plan import BATCH_SIZE_THRESHOLD_S, batch_size_s
from engine.clustering import Clustering, ClusterReport, use_numba_cache
from engine.fast_load import fast_load, release_freed_memory
from engine.model_set import ModelSet
from engine.protocol import JobOptions, Stage
from engine.speakers.capture import ClusterRecorder
from engine.speakers.embeddings import SpeakerEmbeddings

SAMPLE_RATE = 16_000
# Before any model runs: FunASR 1.4.16's plain-Paraformer timestamps (see engine.funasr_fixes).
funasr_fixes.apply()


class JobCancelled(Exception):
    """Raised at a segment boundary when the running job was cancelled."""


@dataclass
class JobHooks:
    """How the pipeline talks back to the worker while a job runs."""

    progress: Callable[[Stage, int, int, int, int], None]
    segment: Callable[[int, int, str], None]
    cancelled: Callable[[], bool]


class Backend:
    """One loaded model set; runs one job at a time on the calling thread."""

    def __init__(self, models: ModelSet, threads: int, device: str = "cpu") -> None:
        started = time.perf_counter()
        self.models = models
        self.device = device
        self.threads = threads
        torch.set_num_threads(threads)
        # Mapped weights: workers share one copy of each model file (FUNSCRIBE_FAST_LOAD=0: off).
        with fast_load():
            self._model = AutoModel(**self.automodel_kwargs(models, threads, device))
        release_freed_memory()
        self._original_inference = self._model.inference
        self.english = is_english_vocabulary(self._token_list())
        # Speaker clustering: seeded, fixed counts kept on short files (engine.clustering).
        self.clustering: Clustering | None = None
        if getattr(self._model, "cb_model", None) is not None:
            use_numba_cache()
            self.clustering = Clustering(self._model.cb_model)
            self._model.cb_model = self.clustering
        self.batch_speaker_windows = speaker_batching.enabled()
        # The last job's clustered embeddings (None without diarization): re-cluster input.
        self.speaker_embeddings: SpeakerEmbeddings | None = None
        self.load_seconds = time.perf_counter() - started

    @staticmethod
    def automodel_kwargs(models: ModelSet, threads: int, device: str) -> dict[str, Any]:
        """The AutoModel arguments for `models`; tests build their reference model with these."""
        kwargs: dict[str, Any] = {
            "model": models.asr,
            "disable_update": True,
            "disable_pbar": True,
            "disable_log": True,
            "device": device,
            # funasr's default of 4 threads oversubscribes small machines.
            "ncpu": threads,
        }
        for role in ("vad", "punc", "spk"):
            location = getattr(models, role)
            if location is not None:
                kwargs[f"{role}_model"] = location
                kwargs[f"{role}_kwargs"] = {"ncpu": threads, "device": device}
        return kwargs

    def _token_list(self) -> list[str]:
        tokenizer = self._model.kwargs.get("tokenizer")
        return [str(t) for t in getattr(tokenizer, "token_list", None) or []]

    @staticmethod
    def generate_kwargs(
        options: JobOptions, english: bool = False, device: str = "cpu"
    ) -> dict[str, Any]:
        """The per-call `generate` arguments for `options` (`english`: an English ASR model;
        `device`: FunASR's effective device)."""
        kwargs: dict[str, Any] = {
            "return_raw_text": True,
            "sentence_timestamp": True,
            # inference_with_vad asks for timestamps only when a speaker model is loaded;
            # plain Paraformer (the English model) then gives none, and every sentence
            # would be a whole VAD segment of up to 60 s without token times.
            "output_timestamp": True,
            # Explicit, so the reference run packs the same batches (engine.batches.plan).
            "batch_size_s": batch_size_s(device),
            "batch_size_threshold_s": BATCH_SIZE_THRESHOLD_S,
        }
        if english:
            # ASCII punctuation and spaced words (timestamp_sentence_en), not `how are you。`.
            kwargs["en_post_proc"] = True
        if options.speakers is not None:
            kwargs["preset_spk_num"] = options.speakers
        if options.hotwords.strip():
            kwargs["hotword"] = options.hotwords.strip()
        return kwargs

    @property
    def has_speakers(self) -> bool:
        """Whether a speaker model is loaded."""
        return self._model.spk_model is not None

    @property
    def effective_device(self) -> str:
        """The device FunASR runs on (it falls back to the CPU when the asked one is absent)."""
        return str(self._model.kwargs.get("device", self.device))

    @property
    def runs_segments_alone(self) -> bool:
        """Whether FunASR gives every VAD segment its own ASR call (it does on the CPU,
        whatever `batch_size_s` says): then no segment's result depends on the others."""
        return self.effective_device == "cpu"

    def transcribe(
        self,
        audio: np.ndarray,
        options: JobOptions,
        hooks: JobHooks,
        calls: SplitCalls | None = None,
    ) -> list[dict[str, Any]]:
        """`AutoModel.generate` on `audio`, reporting progress and honouring cancel.

        With `calls`, one part of a split file (engine.batches.calls): a plan or a batch run
        returns [] once its part is done, leaving what it computed in `calls`.
        """
        counter = _SegmentCounter(audio.size * 1000 // SAMPLE_RATE, hooks)
        model = self._model
        if self.clustering is not None:
            self.clustering.listener = counter.clustering
        recorder = ClusterRecorder(model)
        self.speaker_embeddings = None
        try:
            with (
                self._diarization(options.diarize),
                self._instrumented(counter, calls),
                recorder.recording(),
            ):
                kwargs = self.generate_kwargs(options, self.english, self.effective_device)
                try:
                    result = model.generate(input=audio, **kwargs)
                except (PlanReady, BatchReady):
                    return []
        finally:
            # A long file's buffers stay in glibc's heap otherwise; FunASR workers grow
            # across jobs (FunASR #1839, #2116) and each extra GB is one worker fewer.
            # Not after a batch: its buffers are a few segments' worth, and handing them
            # back makes the next batch fault them in again (CAM++ ran 16-20% slower).
            if calls is None or not calls.is_batch:
                release_freed_memory()
        counter.finish()
        self.speaker_embeddings = recorder.embeddings(counter.pending, audio.size, self.models.spk)
        return list(result)

    @contextmanager
    def _diarization(self, enabled: bool) -> Iterator[None]:
        # Without this, FunASR still computes speaker embeddings and only skips clustering.
        spk_model = self._model.spk_model
        if not enabled:
            self._model.spk_model = None
        try:
            yield
        finally:
            self._model.spk_model = spk_model

    @contextmanager
    def _instrumented(self, counter: _SegmentCounter, calls: SplitCalls | None) -> Iterator[None]:
        model = self._model
        original = self._original_inference

        def inference(input: Any, *args: Any, **kwargs: Any) -> Any:
            role = counter.role_of(kwargs.get("model"), model)
            reported = calls is None or calls.reports(role)
            if reported:
                counter.before(role, input)
            elif counter.hooks.cancelled():
                raise JobCancelled

            def real() -> Any:
                if role == "spk" and self.batch_speaker_windows and isinstance(input, list):
                    return speaker_batching.embed_in_batches(original, input, *args, **kwargs)
                return original(input, *args, **kwargs)

            output = real() if calls is None else calls.call(role, input, real)
            if reported:
                counter.after(role, input, output)
            return output

        model.inference = inference
        try:
            yield
        finally:
            model.inference = original


class _SegmentCounter:
    """Turns the sequence of sub-model calls into progress, segment events and cancel points."""

    def __init__(self, audio_ms: int, hooks: JobHooks) -> None:
        self.audio_ms = audio_ms
        self.hooks = hooks
        self.pending: list[tuple[int, int]] = []  # VAD segments in the order ASR sees them
        self.total = 0
        self.done = 0
        self.speech_ms_total = 0
        self.speech_ms_done = 0
        self.punctuated = False
        self.speaker_total = 1  # clustering's window count once it starts

    @staticmethod
    def role_of(sub_model: Any, model: Any) -> str:
        for role, candidate in (
            ("vad", model.vad_model),
            ("punc", model.punc_model),
            ("spk", model.spk_model),
        ):
            if candidate is not None and sub_model is candidate:
                return role
        return "asr"

    def before(self, role: str, input: Any) -> None:
        if self.hooks.cancelled():
            raise JobCancelled
        if role == "vad":
            self.hooks.progress(Stage.VAD, 0, 1, 0, self.audio_ms)
        elif role == "asr" and self.total == 0:
            # No VAD model: the whole file is one segment.
            self.pending, self.total, self.speech_ms_total = [(0, self.audio_ms)], 1, self.audio_ms
        elif role == "punc":
            self.hooks.progress(Stage.PUNC, 0, 1, self.speech_ms_done, self.speech_ms_total)

    def after(self, role: str, input: Any, output: Any) -> None:
        if role == "vad":
            segments = [(int(seg[0]), int(seg[1])) for seg in output[0]["value"]] if output else []
            # inference_with_vad feeds segments to ASR shortest first (a stable sort).
            self.pending = sorted(segments, key=lambda seg: seg[1] - seg[0])
            self.total = len(self.pending)
            self.speech_ms_total = sum(end - start for start, end in self.pending)
            self.hooks.progress(Stage.VAD, 1, 1, self.audio_ms, self.audio_ms)
            self.hooks.progress(Stage.ASR, 0, self.total, 0, self.speech_ms_total)
        elif role == "asr":
            for item in output:
                start, end = self.pending[self.done] if self.done < self.total else (0, 0)
                self.done += 1
                self.speech_ms_done += end - start
                text = str(item.get("text", "")).strip()
                if text:
                    self.hooks.segment(start, end, text)
            self.hooks.progress(
                Stage.ASR, self.done, self.total, self.speech_ms_done, self.speech_ms_total
            )
        elif role == "punc":
            self.punctuated = True
            self.hooks.progress(Stage.PUNC, 1, 1, self.speech_ms_done, self.speech_ms_total)
            self.hooks.progress(Stage.SPEAKERS, 0, 1, self.speech_ms_done, self.speech_ms_total)

    def clustering(self, report: ClusterReport, finished: bool) -> None:
        # A live "clustering N windows" state: on an hour of speech this stage takes minutes.
        self.speaker_total = max(report.windows, 1)
        done = self.speaker_total if finished else 0
        self.hooks.progress(
            Stage.SPEAKERS, done, self.speaker_total, self.speech_ms_done, self.speech_ms_total
        )

    def finish(self) -> None:
        total = self.speaker_total
        self.hooks.progress(
            Stage.SPEAKERS, total, total, self.speech_ms_total, self.speech_ms_total
        )


def device_name(device: str) -> str:
    """A readable name for `hello`."""
    if device.startswith("cuda") and torch.cuda.is_available():
        return f"{device} ({torch.cuda.get_device_name(0)})"
    return device
