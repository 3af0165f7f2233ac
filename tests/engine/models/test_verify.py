"""Model folder verification: each kind of broken folder gets its own message, naming the fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.model_set import ModelSet
from engine.models.verify import (
    FIX_HINT,
    ModelSetError,
    check_model_set,
    models_from_dir,
    verify_model_folder,
    verify_model_set,
    verify_models_dir,
)


def _folder(root: Path, role: str = "asr", skip: tuple[str, ...] = ()) -> Path:
    """A minimal FunASR folder in the config.yaml layout, without the files in `skip`."""
    folder = root / role
    folder.mkdir(parents=True)
    files = {
        "config.yaml": "model: Paraformer\nmodel_conf:\n  ctc_weight: 0.0\n",
        "model.pt": "weights",
        "tokens.json": json.dumps(["<blank>", "<s>", "</s>", "a", "<unk>"]),
        "am.mvn": "<Nnet>\n",
    }
    for name, text in files.items():
        if name not in skip:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_complete_folder_has_no_problems(tmp_path: Path) -> None:
    assert verify_model_folder(_folder(tmp_path), "asr") == []


def test_the_tiny_real_model_set_verifies(model_dir: Path) -> None:
    assert verify_models_dir(model_dir) == []


def test_a_missing_model_pt_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path, skip=("model.pt",))
    [problem] = verify_model_folder(folder, "asr")
    assert "model.pt" in problem and "weights" in problem
    assert str(folder) in problem and "speech recognition model" in problem


def test_a_missing_config_yaml_is_named(tmp_path: Path) -> None:
    [problem] = verify_model_folder(_folder(tmp_path, "vad", skip=("config.yaml",)), "vad")
    assert "config.yaml" in problem and "configuration" in problem
    assert "voice activity detection model" in problem


def test_an_asr_folder_without_tokens_is_named(tmp_path: Path) -> None:
    [problem] = verify_model_folder(_folder(tmp_path, skip=("tokens.json",)), "asr")
    assert "tokens.json" in problem and "vocabulary" in problem


def test_tokens_are_not_required_of_a_vad_model(tmp_path: Path) -> None:
    assert verify_model_folder(_folder(tmp_path, "vad", skip=("tokens.json",)), "vad") == []


def test_an_empty_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "punc"
    folder.mkdir()
    assert verify_model_folder(folder, "punc") == [f"The punctuation model ({folder}) is empty."]


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    [problem] = verify_model_folder(tmp_path / "nowhere", "spk")
    assert "does not exist" in problem and "speaker model" in problem


def test_an_unparseable_config_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "config.yaml").write_text("model: [unclosed\n", encoding="utf-8")
    [problem] = verify_model_folder(folder, "asr")
    assert "unreadable config.yaml" in problem


def test_a_config_without_a_model_class_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "config.yaml").write_text("frontend: WavFrontend\n", encoding="utf-8")
    [problem] = verify_model_folder(folder, "asr")
    assert "names no model class" in problem


def test_an_empty_weights_file_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "model.pt").write_bytes(b"")
    assert verify_model_folder(folder, "asr") == [
        f"The speech recognition model ({folder}) has an empty model.pt (the model weights)."
    ]


def test_a_half_downloaded_file_marks_the_folder_unfinished(tmp_path: Path) -> None:
    folder = _folder(tmp_path, skip=("model.pt",))
    (folder / "model.pt.incomplete").write_bytes(b"wei")
    problems = verify_model_folder(folder, "asr")
    assert any("not fully downloaded" in p and "resume" in p for p in problems)


def test_files_named_in_configuration_json_are_checked(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "spk", skip=("model.pt", "tokens.json"))
    metas = {"init_param": "campplus_cn_common.bin", "config": "config.yaml"}
    (folder / "configuration.json").write_text(json.dumps({"file_path_metas": metas}))
    [problem] = verify_model_folder(folder, "spk")
    assert "campplus_cn_common.bin" in problem and "init_param" in problem
    (folder / "campplus_cn_common.bin").write_bytes(b"weights")
    assert verify_model_folder(folder, "spk") == []


def test_optional_files_named_in_configuration_json_may_be_absent(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    metas = {
        "init_param": "model.pt",
        "config": "config.yaml",
        "tokenizer_conf": {"token_list": "tokens.json", "seg_dict_file": "seg_dict"},
        "frontend_conf": {"cmvn_file": "am.mvn"},
    }
    (folder / "configuration.json").write_text(json.dumps({"file_path_metas": metas}))
    assert verify_model_folder(folder, "asr") == []
    (folder / "am.mvn").unlink()
    [problem] = verify_model_folder(folder, "asr")
    assert "am.mvn" in problem and "frontend_conf.cmvn_file" in problem


def test_the_marker_names_the_hub_model(tmp_path: Path) -> None:
    folder = _folder(tmp_path, skip=("model.pt",))
    marker = {"model_id": "iic/some-model", "revision": "v2.0.4"}
    (folder / ".complete").write_text(json.dumps(marker))
    [problem] = verify_model_folder(folder, "asr")
    assert "iic/some-model@v2.0.4" in problem


def test_a_model_set_reports_every_broken_folder(tmp_path: Path) -> None:
    asr = _folder(tmp_path, skip=("tokens.json",))
    vad = _folder(tmp_path, "vad", skip=("model.pt",))
    problems = verify_model_set(ModelSet(asr=str(asr), vad=str(vad)))
    assert len(problems) == 2


def test_check_model_set_raises_with_every_problem_and_the_fix(tmp_path: Path) -> None:
    asr = _folder(tmp_path, skip=("config.yaml",))
    with pytest.raises(ModelSetError) as caught:
        check_model_set(ModelSet(asr=str(asr)))
    assert "config.yaml" in str(caught.value) and FIX_HINT in str(caught.value)


def test_a_models_dir_without_asr_is_an_error_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelSetError, match="no asr subfolder"):
        models_from_dir(tmp_path)
    with pytest.raises(ModelSetError, match="does not exist"):
        models_from_dir(tmp_path / "missing")
    assert "does not exist" in verify_models_dir(tmp_path / "missing")[0]


# ---- the hub layout: folders FunASR would load wrongly or not at all --------------------------


def test_a_configuration_json_without_file_path_metas_is_named_with_the_fix(
    tmp_path: Path,
) -> None:
    # FunASR would ignore config.yaml and fail with "... is not registered".
    folder = _folder(tmp_path)
    (folder / "configuration.json").write_text(json.dumps({"framework": "pytorch"}))
    [problem] = verify_model_folder(folder, "asr")
    assert "configuration.json" in problem and "file_path_metas" in problem
    assert "is not registered" in problem and "delete configuration.json" in problem


def test_a_seaco_model_without_seg_dict_is_named(model_dir: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(model_dir / "asr", tmp_path / "asr")
    assert verify_model_folder(folder, "asr") == []
    (folder / "seg_dict").unlink()
    [problem] = verify_model_folder(folder, "asr")
    assert "seg_dict" in problem and "hotwords" in problem and str(folder) in problem


def test_a_plain_paraformer_needs_no_seg_dict(tmp_path: Path) -> None:
    assert verify_model_folder(_folder(tmp_path), "asr") == []


def test_a_missing_jieba_dictionary_of_the_punctuation_model_is_named(
    model_dir: Path, tmp_path: Path
) -> None:
    folder = shutil.copytree(model_dir / "punc", tmp_path / "punc")
    assert verify_model_folder(folder, "punc") == []
    (folder / "jieba_usr_dict").unlink()
    [problem] = verify_model_folder(folder, "punc")
    assert "jieba_usr_dict" in problem and "punctuation model" in problem
    with pytest.raises(ModelSetError, match="download the model set again"):
        check_model_set(ModelSet(asr=str(model_dir / "asr"), punc=str(folder)))


def test_the_speaker_model_loads_from_its_real_checkpoint_name(model_dir: Path) -> None:
    metas = json.loads((model_dir / "spk" / "configuration.json").read_text())["file_path_metas"]
    assert metas["init_param"] == "campplus_cn_common.bin"
    assert not (model_dir / "spk" / "model.pt").exists()
    assert verify_model_folder(model_dir / "spk", "spk") == []
