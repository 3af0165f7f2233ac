"""Check model folders on disk before a worker loads them: required files, readable configs.

FunASR treats anything that is not a loadable folder as a hub ID and, offline, hangs in the
download client before failing with "model is not registered". These checks run in
milliseconds, import neither torch nor funasr, and name the model and the fix instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.model_set import ROLES, ModelSet

COMPLETE_MARKER = ".complete"
PARTIAL_SUFFIX = ".incomplete"  # the hub client's name for a file still downloading
FIX_HINT = (
    "To fix it, download the model set again (`funscribe models download PRESET`, or "
    "Settings → Models), or choose folders that hold complete FunASR models."
)
_ROLE_NAMES = {
    "asr": "speech recognition model",
    "vad": "voice activity detection model",
    "punc": "punctuation model",
    "spk": "speaker model",
}
_TOKENIZER_FILES = ("tokens.json", "tokens.txt", "bpe.model")
# configuration.json may name files a repo lacks (FunASR skips those silently, e.g. seg_dict);
# only these are needed to load.
_REQUIRED_METAS = frozenset(
    {
        "init_param",
        "config",
        "tokenizer_conf.token_list",
        "tokenizer_conf.bpemodel",
        "frontend_conf.cmvn_file",
        # The cn-en punctuation model splits words with jieba and this dictionary; FunASR
        # skips a named file that is missing, and the model then sees unknown words.
        "jieba_usr_dict",
    }
)
# SeACo-Paraformer reads `seg_dict` from the folder of its am.mvn (seaco_paraformer/model.py,
# generate_hotwords_list); without it every hotword becomes one <unk> and does nothing.
_SEG_DICT_MODELS = ("SeacoParaformer",)


class ModelSetError(Exception):
    """A model set that failed verification; `problems` lists each finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{' '.join(problems)} {FIX_HINT}")
        self.problems = problems


def model_name(path: Path, role: str) -> str:
    """How messages name a model: role, hub ID when the download recorded one, and folder."""
    kind = _ROLE_NAMES.get(role, f"{role} model")
    try:
        marker = json.loads((path / COMPLETE_MARKER).read_text(encoding="utf-8"))
        return f"{kind} {marker['model_id']}@{marker['revision']} ({path})"
    except (OSError, ValueError, KeyError, TypeError):
        return f"{kind} ({path})"


def verify_model_folder(path: str | Path, role: str) -> list[str]:
    """Problems that would stop FunASR loading the folder as a `role` model ([] when fine)."""
    folder = Path(path)
    name = model_name(folder, role)
    if not folder.exists():
        return [f"The {name} does not exist."]
    if not folder.is_dir():
        return [f"The {name} is not a folder."]
    entries = [p for p in folder.iterdir() if p.name != COMPLETE_MARKER]
    if not entries:
        return [f"The {name} is empty."]
    problems: list[str] = []
    partial = sorted(p.name for p in entries if p.name.endswith(PARTIAL_SUFFIX))
    if partial:
        problems.append(
            f"The {name} was not fully downloaded ({len(partial)} partial file(s), "
            f"e.g. {partial[0]}); run the download again to resume it."
        )
    files = _required_files(folder, role, problems, name)
    if role == "asr" and _config_model(folder) in _SEG_DICT_MODELS:
        files.append(("seg_dict", "the hotword dictionary SeACo-Paraformer needs for hotwords"))
    for relative, what in files:
        target = folder / relative
        if not target.is_file():
            problems.append(f"The {name} has no {relative} ({what}).")
        elif target.stat().st_size == 0:
            problems.append(f"The {name} has an empty {relative} ({what}).")
        elif relative.endswith((".yaml", ".json")):
            error = _unreadable(target)
            if error:
                problems.append(f"The {name} has an unreadable {relative}: {error}.")
    return problems


def verify_model_set(models: ModelSet) -> list[str]:
    """Problems with every folder of `models` (ASR required, the others where given)."""
    problems: list[str] = []
    for role in ROLES:
        location = getattr(models, role)
        if location is not None:
            problems += verify_model_folder(location, role)
    return problems


def verify_models_dir(root: str | Path) -> list[str]:
    """Problems with a `DIR/asr, DIR/vad, DIR/punc, DIR/spk` folder (see ModelSet.from_dir)."""
    try:
        return verify_model_set(models_from_dir(root))
    except ModelSetError as exc:
        return exc.problems


def models_from_dir(root: str | Path) -> ModelSet:
    """`ModelSet.from_dir`, raising ModelSetError (with the fix) when DIR or DIR/asr is missing."""
    base = Path(root)
    if not base.is_dir():
        raise ModelSetError([f"The model folder {base} does not exist."])
    try:
        return ModelSet.from_dir(base)
    except FileNotFoundError:
        raise ModelSetError(
            [f"The model folder {base} has no asr subfolder (the speech recognition model)."]
        ) from None


def check_model_set(models: ModelSet) -> None:
    """Raise ModelSetError unless every folder of `models` verifies."""
    problems = verify_model_set(models)
    if problems:
        raise ModelSetError(problems)


def _required_files(
    folder: Path, role: str, problems: list[str], name: str
) -> list[tuple[str, str]]:
    """(file, what it is) pairs FunASR will open, from configuration.json or the defaults."""
    metas = _file_path_metas(folder, problems, name)
    if metas is None:
        # FunASR's fallback without configuration.json: config.yaml + model.pt + tokens.*.
        files = [("config.yaml", "the model configuration"), ("model.pt", "the model weights")]
        if role == "asr" and not any((folder / f).is_file() for f in _TOKENIZER_FILES):
            files.append(("tokens.json", "the recognition vocabulary"))
        return files
    if "config" not in metas:
        problems.append(f"The {name} has a configuration.json that names no config file.")
    if "init_param" not in metas:
        problems.append(f"The {name} has a configuration.json that names no weights file.")
    tokenizer = metas.get("tokenizer_conf")
    has_tokenizer = (isinstance(tokenizer, dict) and bool(tokenizer)) or any(
        (folder / f).is_file() for f in _TOKENIZER_FILES
    )
    if role == "asr" and not has_tokenizer:
        problems.append(f"The {name} has no tokens.json (the recognition vocabulary).")
    return [
        (relative, f"named as {key} in configuration.json")
        for key, relative in _walk(metas)
        if key in _REQUIRED_METAS
    ]


def _file_path_metas(folder: Path, problems: list[str], name: str) -> dict[str, Any] | None:
    """configuration.json's `file_path_metas`, or None when FunASR would not use it."""
    path = folder / "configuration.json"
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"The {name} has an unreadable configuration.json: {exc}.")
        return None
    metas = body.get("file_path_metas") if isinstance(body, dict) else None
    if not isinstance(metas, dict):
        # FunASR then reads neither config.yaml nor model.pt (download_from_ms) and fails
        # with "<model> is not registered".
        problems.append(
            f"The {name} has a configuration.json without file_path_metas, so FunASR would "
            'ignore its config.yaml and fail with "is not registered"; add file_path_metas '
            "naming config.yaml and the weights (as the hub's copy has), or delete "
            "configuration.json."
        )
        return None
    return metas


def _config_model(folder: Path) -> str:
    """The `model:` class named in a folder's config.yaml ("" when unreadable)."""
    import yaml

    try:
        config = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return ""
    return str(config.get("model", "")) if isinstance(config, dict) else ""


def _walk(metas: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """(dotted key, relative file) for every file named in `file_path_metas`."""
    out: list[tuple[str, str]] = []
    for key, value in metas.items():
        if isinstance(value, dict):
            out += _walk(value, f"{prefix}{key}.")
        elif isinstance(value, str) and value:
            out.append((f"{prefix}{key}", value))
    return out


def _unreadable(path: Path) -> str:
    """Why a YAML/JSON config cannot be parsed ("" when it can, as a mapping with content)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        body = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if path.name == "config.yaml" and not (isinstance(body, dict) and body.get("model")):
        return "it names no model class (`model:`)"
    if path.suffix == ".json" and not isinstance(body, dict | list):
        return "not a JSON object or list"
    return ""
