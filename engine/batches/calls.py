"""Inside the worker: one `AutoModel.generate` call, made to run one part of a split file.

The plan, each batch and the assembly all run FunASR's own `inference_with_vad`; only its
sub-model calls are steered (engine.backend routes every one through `SplitCalls.call`):

- plan: VAD runs; the first ASR call ends the run (`PlanReady`): the VAD output is the plan.
- batch: VAD is replayed from the plan; the ASR calls of this batch and their speaker
  embeddings run and are kept; earlier calls get placeholders FunASR only collects; the run
  ends (`BatchReady`) once the batch's last embedding is computed. Where FunASR runs each
  segment alone (the CPU), the replayed VAD holds only the batch's segments, so its loop
  starts at the batch instead of walking every earlier segment (0.7 ms each with full-size
  models: for a 2-hour meeting's ~1,000 batches, minutes of a run).
- assemble: VAD, ASR and embeddings are replayed from the checkpoints; punctuation,
  clustering, sentences and speaker assignment run as FunASR runs them.

Every ASR call FunASR makes lies inside one batch (engine.batches.plan), and a replayed
call returns exactly what the real call returned, so the assembled result is the one
`generate` returns on the whole file.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.batches.plan import FilePlan
from engine.batches.store import BatchResult, json_copy


class PlanReady(Exception):
    """The plan run saw the VAD output; nothing more is needed."""


class BatchReady(Exception):
    """The batch run computed its last segment."""


class SplitCalls:
    """Decides, for each FunASR sub-model call of one run, whether it runs or is replayed."""

    def __init__(
        self,
        plan: FilePlan | None = None,
        run: tuple[int, int] | None = None,
        stored: dict[int, BatchResult] | None = None,
        on_segment: Callable[[int, dict[str, Any]], None] | None = None,
        speakers: bool = False,
        only_the_batch: bool = False,
    ) -> None:
        self.plan = plan
        self.run = run  # sorted positions [start, end) that run for real
        self.stored = _by_position(plan, stored or {}) if plan is not None else {}
        self.on_segment = on_segment  # (position, raw ASR result) as each one is computed
        self.vad: list[dict[str, Any]] | None = None
        self.asr: dict[int, dict[str, Any]] = {}
        self.spk: dict[int, np.ndarray] = {}
        self._position = 0
        self._awaiting_spk: deque[int] = deque()
        # Whether FunASR embeds each segment's windows after its ASR call (a speaker model
        # is loaded and diarization is on): then the last embedding, not the ASR, ends a batch.
        self.with_speakers = speakers
        # A batch run replays only its own segments (valid where each runs alone).
        self.only_the_batch = only_the_batch and run is not None

    @property
    def planning(self) -> bool:
        """True for the plan run (no plan given)."""
        return self.plan is None

    @property
    def is_batch(self) -> bool:
        """True for a batch run (it computes a range of segments and stops)."""
        return self.run is not None

    def reports(self, role: str) -> bool:
        """Whether the job's usual progress counter should see this kind of call."""
        if self.planning:
            return role == "vad"
        return self.run is None and role != "asr"  # assembly: no second round of segments

    def call(self, role: str, input: Any, real: Callable[[], Any]) -> Any:
        """The output FunASR gets for one sub-model call."""
        if role == "vad":
            if self.plan is not None:
                return self._replayed_vad(self.plan)
            output = real()
            self.vad = json_copy(output)
            return output
        if role == "asr":
            return self._asr(input, real)
        if role == "spk":
            return self._spk(input, real)
        if self.run is not None:
            raise BatchReady  # punctuation: past the batch (only without speaker embeddings)
        return real()

    def batch_result(self) -> BatchResult:
        """What the batch run computed, in FunASR's order."""
        assert self.run is not None
        positions = range(*self.run)
        asr = [self.asr[p] for p in positions]
        spk = [self.spk[p] for p in positions] if self.with_speakers else None
        return BatchResult(asr=asr, spk=spk)

    def _replayed_vad(self, plan: FilePlan) -> list[dict[str, Any]]:
        """The plan's VAD output, or only the batch's segments in time order. FunASR sorts
        those by length, stably, as it sorted all of them, so they come in the order of
        the batch, and the positions count on from the batch's first."""
        vad = copy.deepcopy(plan.vad)
        if not self.only_the_batch or not vad:
            return vad
        assert self.run is not None
        start, end = self.run
        kept = sorted(plan.order[start:end])
        vad[0]["value"] = [vad[0]["value"][i] for i in kept]
        self._position = start
        return vad

    def _asr(self, input: list[Any], real: Callable[[], Any]) -> list[dict[str, Any]]:
        if self.planning:
            raise PlanReady
        positions = list(range(self._position, self._position + len(input)))
        self._position += len(input)
        if self.run is not None and positions[0] >= self.run[1]:
            raise BatchReady  # never reached with speakers: the last embedding ends the run
        inside = [self.run is not None and self.run[0] <= p < self.run[1] for p in positions]
        if any(inside) and not all(inside):
            raise RuntimeError(f"FunASR's ASR call {positions} crosses a batch boundary")
        if all(inside):
            output = real()
            for p, item in zip(positions, output, strict=True):
                self.asr[p] = json_copy(item)
                if self.on_segment is not None:
                    self.on_segment(p, self.asr[p])
        elif all(p in self.stored for p in positions):
            output = [copy.deepcopy(self.stored[p][0]) for p in positions]
        else:
            output = [{"text": ""} for _ in positions]  # before this batch: only collected
        self._awaiting_spk.extend(positions)
        last = self.run is not None and positions[-1] == self.run[1] - 1
        if all(inside) and last and not self.with_speakers:
            raise BatchReady
        return output

    def _spk(self, windows: list[Any], real: Callable[[], Any]) -> list[dict[str, torch.Tensor]]:
        position = self._awaiting_spk.popleft()
        if self.run is not None and self.run[0] <= position < self.run[1]:
            output = list(real())
            # Kept in the model's own dtype: the replayed tensors must be the same ones.
            self.spk[position] = np.concatenate(
                [r["spk_embedding"].detach().cpu().numpy() for r in output]
            )
            if position == self.run[1] - 1:
                raise BatchReady
            return output
        stored = self.stored.get(position)
        if stored is not None and stored[1] is not None:
            rows = stored[1]
            return [
                {"spk_embedding": torch.from_numpy(rows[w : w + 1].copy())}
                for w in range(len(rows))
            ]
        return [{"spk_embedding": torch.zeros((1, 1))} for _ in windows]


def _by_position(
    plan: FilePlan, stored: dict[int, BatchResult]
) -> dict[int, tuple[dict[str, Any], np.ndarray | None]]:
    """Checkpointed results keyed by sorted position."""
    out: dict[int, tuple[dict[str, Any], np.ndarray | None]] = {}
    for index, result in stored.items():
        start, _ = plan.batches[index]
        for offset, item in enumerate(result.asr):
            out[start + offset] = (item, None if result.spk is None else result.spk[offset])
    return out
