"""A tiny CAM++ that tells espeak-ng voices apart, trained in well under a minute at build time.

    python -m engine.testing.voice_campplus OUT_DIR [--seed N]

Random-weight CAM++ gives every window nearly the same embedding (cosine 0.99 between any two
voices), so diarization and voice-library tests could only check the plumbing. This model is
FunASR's own `CAMPPlus` in the tiny test size, trained on espeak-ng voice variants speaking
sentences that the tests never use, and saved in the hub layout of the tiny CAM++ (the same
config.yaml, configuration.json and checkpoint name), so the real loading code runs it.

What it sees is what it sees at inference: FunASR's `sv_chunk` cuts each utterance into 1.5 s
windows, and FunASR's `extract_feature` makes their 80-bin fbank (each window mean-subtracted).
Training fits a CPU minute (about 40 s of one core) because most of the network is set to pass
its input on: the front block's residual branches and every dense layer's output are zero
(`simplify`), so CAMPPlus still runs every module but only a shallow path carries signal. The
front block keeps random weights and runs once per window; the TDNN layers after it learn
with an additive angular margin softmax (AAM) whose class weights are dropped afterwards.
Every batch norm is then set to the statistics of the whole training set, so an embedding's
zero is the training voices' centre and cosines spread over [-1, 1]. Seeds are fixed and
torch uses one thread, so the same seed gives the same weights.

Measured on held-out voices saying held-out lines (tests/engine/test_voice_campplus.py), the
mean unit embeddings of one voice's two halves have cosine 0.95 to 0.98; of two voices, -0.35
to 0.64. Random weights give 0.99 for both. Through the whole pipeline FunASR's automatic
count finds three voices in a three-voice talk (tests/engine/speakers/test_voices_pipeline.py).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from engine.testing import tiny_configs as cfg
from engine.testing.tiny_models import SPK_WEIGHTS, _save, instantiate, write_configuration

FORMAT_VERSION = 3
MARKER = "voice_campplus.json"
FOLDER = "spk-voices"  # beside asr/vad/punc/spk in a tiny model set
SAMPLE_RATE = 16000

# Voices the tests speak with (speech.meeting's pair, and a third for three-voice talks):
# never trained on, so a test of them is a test of voices the model has not heard.
HELD_OUT = ("m3", "f4", "m7", "f2", "Annie", "Andy")
TRAIN_VARIANTS = (
    "m1", "m2", "m4", "m5", "m6", "f1", "f3", "f5", "Alex", "Alicia", "Andrea", "antonio",
    "aunty", "belinda", "benjamin", "boris", "caleb", "david", "Denis", "Diogo", "ed", "edward",
    "Gene", "gustave", "Henrique", "Hugo", "iven", "Jacky", "john", "Lee", "linda", "Marco",
    "Mario", "max", "Michael", "michel", "miguel", "Mike", "m8", "pablo", "paul", "pedro",
    "quincy", "rob", "robert", "steph", "Storm", "Tweaky", "zac", "anika", "grandpa", "adam",
)  # fmt: skip
# espeak-ng -p. One pitch and more sentences a voice clustered better than two pitches and
# fewer (a voice's windows closer together: three voices found as three, not four).
PITCHES = (50,)
SPEEDS = (145, 160, 175)  # espeak-ng -s, varied per sentence within a voice
PAUSES_MS = (200, 500, 800)  # silence after each sentence
# Sentences the tests never say (theirs are engine.testing.speech.LINES).
TRAIN_LINES = (
    "The river ran quietly past the old mill before the storm arrived.",
    "Please bring three apples, a loaf of bread and some cheese tomorrow.",
    "My brother painted the fence green while the neighbours watched him.",
    "A small boat drifted towards the lighthouse on the northern rocks.",
    "We walked for hours through the forest and never saw a single deer.",
    "The orchestra tuned their instruments as the audience found seats.",
    "Yesterday the train was late again, so I missed the first lecture.",
    "She measured the flour carefully and folded it into the warm butter.",
    "Bright lanterns hung above the market stalls selling spices and silk.",
    "The children built a snowman with a carrot nose and a woollen hat.",
    "An engineer checked every bolt on the bridge before it opened.",
    "Quiet evenings by the fire are the best part of a long winter.",
    "Seven horses galloped across the valley at the break of dawn.",
    "He forgot his umbrella on the bus and walked home in the rain.",
    "The museum displays a dinosaur skeleton taller than a house.",
    "Fresh coffee and warm croissants waited for us at the station.",
    "Our garden grows tomatoes, beans, peppers and a few pumpkins.",
    "The pilot announced that we would land twenty minutes early.",
    "Thick fog covered the harbour until the sun burned it away.",
    "Reading a good novel can make a rainy Sunday pass very quickly.",
)


@dataclass(frozen=True)
class Voice:
    """One espeak-ng voice: an English base voice with a variant, at a base pitch."""

    variant: str
    pitch: int = 50

    def speak(self, text: str, speed: int = 160, ssml: bool = False) -> np.ndarray:
        """`text` in this voice: 16 kHz float32 samples in [-1, 1], as FunASR loads a wav."""
        markup = ["-m"] if ssml else []
        spoken = subprocess.run(
            ["espeak-ng", "-v", f"en-us+{self.variant}", "-p", str(self.pitch), "-s", str(speed),
             *markup, "--stdout", text],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        # -R: sox's dither is seeded, so the same text gives the same samples every time.
        raw = subprocess.run(
            ["sox", "-R", "-t", "wav", "-", "-r", str(SAMPLE_RATE), "-t", "raw", "-e", "signed",
             "-b", "16", "-"],
            input=spoken, check=True, capture_output=True,
        ).stdout  # fmt: skip
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def windows(audio: np.ndarray) -> list[np.ndarray]:
    """FunASR's 1.5 s speaker windows of one utterance (sv_chunk, as inference cuts them)."""
    from funasr.models.campplus.utils import sv_chunk

    seconds = len(audio) / SAMPLE_RATE
    return [chunk[2] for chunk in sv_chunk([[0.0, seconds, audio]])]


def features(chunks: Sequence[np.ndarray]) -> torch.Tensor:
    """FunASR's CAM++ input for windows: (N, frames, 80) mean-subtracted fbank."""
    from funasr.models.campplus.utils import extract_feature

    feats, _, _ = extract_feature([torch.from_numpy(c) for c in chunks])
    return feats.to(torch.float32)


def training_set(
    voices: Sequence[Voice], lines: Sequence[str], per_voice: int, seed: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Windows of each voice saying `per_voice` of `lines` (its own pick and speed)."""
    rng = random.Random(seed)
    feats: list[torch.Tensor] = []
    labels: list[int] = []
    for label, voice in enumerate(voices):
        # One utterance of several sentences with pauses between them, as in a conversation:
        # FSMN-VAD keeps pauses under 0.8 s inside a segment, so windows hold them too.
        sentences = rng.sample(list(lines), per_voice)
        breaks = [f'<break time="{rng.choice(PAUSES_MS)}ms"/>' for _ in sentences]
        text = "".join(s + b for s, b in zip(sentences, breaks, strict=True))
        spoken = voice.speak(f"<speak>{text}</speak>", rng.choice(SPEEDS), ssml=True)
        chunks = windows(spoken)[::2]  # every other window: no overlap, half the cost
        feats.append(features(chunks))
        labels += [label] * len(chunks)
    return torch.cat(feats), torch.tensor(labels)


def simplify(model: Any) -> None:
    """Zero the residual branches of the front block and the output of every dense layer.

    CAMPPlus still runs every module, but those add exact zeros: the front block becomes its
    shortcut path and each dense block passes its input on (a dense block concatenates).
    What is left learns in seconds on a CPU (see `_head`, `_trunk`).
    """
    with torch.no_grad():
        for layer in (model.head.layer1, model.head.layer2):
            for block in layer:
                block.conv1.weight.zero_()
                block.conv2.weight.zero_()
        for layer in _dense_layers(model):
            layer.cam_layer.linear_local.weight.zero_()


def _dense_layers(model: Any) -> Iterator[Any]:
    for i in (1, 2, 3):
        yield from getattr(model.xvector, f"block{i}")


def _head(model: Any, feats: torch.Tensor) -> torch.Tensor:
    """`model.head` of a simplified model, computed only where its output depends on.

    With zero residual branches the front block is conv1, two 1x1 shortcuts that keep every
    other frequency row, and conv2. So conv1 is needed on every fourth row only, and the
    shortcuts then run at stride 1: the same numbers, a quarter of the work.
    """
    relu = torch.nn.functional.relu
    conv2d = torch.nn.functional.conv2d
    fcm = model.head
    x = feats.permute(0, 2, 1).unsqueeze(1)
    out = relu(fcm.bn1(conv2d(x, fcm.conv1.weight, stride=(4, 1), padding=1)))
    for layer in (fcm.layer1, fcm.layer2):
        # The first block is its shortcut; the others add zero to a non-negative input.
        conv, norm = layer[0].shortcut
        out = relu(norm(conv2d(out, conv.weight)))
    out = relu(fcm.bn2(fcm.conv2(out)))
    return out.reshape(out.shape[0], out.shape[1] * out.shape[2], out.shape[3])


def _trunk(model: Any, head_out: torch.Tensor) -> torch.Tensor:
    """`model.xvector` of a simplified model: every dense layer's output is zero."""
    xv = model.xvector
    x = xv.tdnn(head_out)
    for i in (1, 2, 3):
        added = sum(layer.cam_layer.linear_local.out_channels for layer in getattr(xv, f"block{i}"))
        zeros = x.new_zeros(x.shape[0], added, x.shape[2])
        x = getattr(xv, f"transit{i}")(torch.cat([x, zeros], dim=1))
    return xv.dense(xv.stats(xv.out_nonlinear(x)))


def _batched(fn: Any, model: Any, x: torch.Tensor, batch: int = 32) -> torch.Tensor:
    with torch.no_grad():
        return torch.cat([fn(model, x[i : i + batch]) for i in range(0, len(x), batch)])


def _batch_norms(module: torch.nn.Module) -> Iterator[torch.nn.modules.batchnorm._BatchNorm]:
    for m in module.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            yield m


def _aam_logits(
    embeddings: torch.Tensor,
    weight: torch.Tensor,
    labels: torch.Tensor,
    margin: float,
    scale: float,
) -> torch.Tensor:
    """Additive angular margin softmax logits (ArcFace): the true class needs angle + margin."""
    cos = torch.nn.functional.normalize(embeddings) @ torch.nn.functional.normalize(weight).T
    theta = torch.acos(cos.clamp(-1 + 1e-6, 1 - 1e-6))
    onehot = torch.nn.functional.one_hot(labels, weight.shape[0]).bool()
    return scale * torch.where(onehot, torch.cos(theta + margin), cos)


def train(
    model: Any,
    head_out: torch.Tensor,
    labels: torch.Tensor,
    steps: int,
    seed: int,
    batch: int = 128,
    lr: float = 1e-2,
    margin: float = 0.4,
    scale: float = 30.0,
    crop: int = 96,
) -> None:
    """Train the TDNN part of a simplified `model` (the front block stays as built).

    Each step sees `crop` frames of its windows (at a random offset): cheaper than whole
    windows, and a little augmentation.
    """
    torch.manual_seed(seed)
    classes = int(labels.max()) + 1
    weight = torch.nn.Parameter(torch.randn(classes, model.xvector.dense.linear.out_channels))
    optimizer = torch.optim.Adam([*model.xvector.parameters(), weight], lr=lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    model.xvector.train()
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        pick = torch.randint(len(labels), (batch,), generator=generator)
        start = int(torch.randint(head_out.shape[2] - crop + 1, (1,), generator=generator))
        emb = _trunk(model, head_out[pick, :, start : start + crop])
        logits = _aam_logits(emb, weight, labels[pick], margin, scale)
        loss = torch.nn.functional.cross_entropy(logits, labels[pick])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
    _settle_batch_norms(model, head_out)


def _settle_batch_norms(model: Any, head_out: torch.Tensor) -> None:
    """Set the TDNN part's batch norms to the statistics of the whole training set."""
    for bn in _batch_norms(model.xvector):
        bn.reset_running_stats()
        bn.momentum = None  # a cumulative mean over the batches below
    model.xvector.train()
    _batched(_trunk, model, head_out)
    for bn in _batch_norms(model.xvector):
        bn.momentum = 0.1
    model.eval()


def embed(model: Any, feats: torch.Tensor) -> np.ndarray:
    """Embeddings of feature windows, as CAMPPlus.inference computes them."""
    model.eval()
    with torch.no_grad():
        return model(feats).numpy()


@dataclass(frozen=True)
class Recipe:
    """What a build trains on, and for how long (tests shrink it to check reproducibility)."""

    variants: tuple[str, ...] = TRAIN_VARIANTS
    pitches: tuple[int, ...] = PITCHES
    per_voice: int = 12
    steps: int = 300


def is_built(folder: Path, seed: int = 0) -> bool:
    """True when `folder` holds a finished build of this format and seed."""
    try:
        found = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return found == _marker(seed) and (folder / SPK_WEIGHTS).is_file()


def _marker(seed: int) -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "seed": seed}


def build(folder: Path, seed: int = 0, recipe: Recipe | None = None) -> Path:
    """Train the voice CAM++ and save it in the hub layout at `folder` (reused when built)."""
    recipe = recipe or Recipe()
    if recipe == Recipe() and is_built(folder, seed):
        return folder
    torch.set_num_threads(1)
    config = cfg.spk_config("tiny")
    torch.manual_seed(seed)
    model = instantiate(config)
    simplify(model)
    model.eval()
    voices = [Voice(v, p) for v in recipe.variants for p in recipe.pitches]
    feats, labels = training_set(voices, TRAIN_LINES, recipe.per_voice, seed)
    head_out = _batched(_head, model, feats)
    train(model, head_out, labels, recipe.steps, seed)
    check = feats[:16]
    shortcut = _batched(_trunk, model, _batched(_head, model, check))
    if not np.allclose(embed(model, check), shortcut.numpy(), atol=1e-4):
        raise AssertionError("CAMPPlus no longer computes what its simplified path trained")
    (folder / MARKER).unlink(missing_ok=True)
    _save(folder, config, model, SPK_WEIGHTS)
    write_configuration(folder, "speaker-verification", {"init_param": SPK_WEIGHTS})
    if recipe == Recipe():
        (folder / MARKER).write_text(json.dumps(_marker(seed)) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    """Command line: train and save the voice CAM++."""
    parser = argparse.ArgumentParser(prog="python -m engine.testing.voice_campplus")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    build(args.out_dir, args.seed)
    print(f"trained in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
