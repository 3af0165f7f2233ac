"""config.yaml contents and token lists for the random-weight test models, tiny or full size.

The full sizes follow the released ModelScope models (SeACo-Paraformer-large, CT-Transformer
punctuation vocab272727, CAM++ sv_zh-cn 16k, FSMN-VAD); the tiny sizes keep every module of
those architectures but shrink their widths and depths, so the same FunASR code paths run.
"""

from __future__ import annotations

import itertools
from typing import Any

SIZES = ("tiny", "full")
ASR_LFR_DIM = 80 * 7  # 80 mel bins stacked over lfr_m = 7 frames
VAD_LFR_DIM = 80 * 5
PUNC_LIST = ["<unk>", "_", "，", "。", "？", "、"]

# Token lists end with <unk>, as FunASR's released token lists do; blank/sos/eos come first
# because Paraformer hard-codes blank_id=0, sos=1, eos=2.
SPECIAL_HEAD = ["<blank>", "<s>", "</s>"]
UNK = "<unk>"
CHINESE = (
    "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"
    "家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从"
    "无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两"
)
ENGLISH_WORDS = [
    "hello", "world", "this", "is", "test", "good", "morning", "thank", "you", "all",
    "for", "coming", "to", "the", "meeting", "today", "we", "can", "move", "on", "budget",
    "next", "quarter", "sure", "numbers", "look", "better", "than", "last", "year", "great",
]  # fmt: skip
# Word pieces ("@@" = continues into the next token) exercise FunASR's English merging.
ENGLISH_PIECES = ["plan@@", "ning", "re@@", "lease", "off@@", "ice", "un@@", "der@@", "stood"]
PUNC_SPECIAL_HEAD = ["<blank>", "<s>", "</s>"]
# Words of the punctuation vocabulary that jieba cuts with jieba_usr_dict (the cn-en large
# model's vocabulary is of words, vocab471067, and its repo ships that dictionary).
PUNC_WORDS = ["我们", "时间", "现在", "没有", "什么", "知道", "可以", "自己", "他们", "这个"]
# SeACo's seg_dict maps a hotword to its tokens; whole English words to their pieces.
SEG_DICT_WORDS = {
    "planning": "plan@@ ning",
    "release": "re@@ lease",
    "office": "off@@ ice",
    "understood": "un@@ der@@ stood",
}

FULL_ASR_VOCAB = 8404
# The released punctuation model has 272727 tokens; its embedding alone is ~70M parameters
# (~280 MB of float32), which a benchmark machine handles, so the full size keeps it.
FULL_PUNC_VOCAB = 272727


def _fill_tokens(base: list[str], total: int) -> list[str]:
    """`base` then unused CJK characters, then CJK pairs, until `total` tokens with <unk> last."""
    tokens = list(base)
    seen = set(tokens)
    singles = [chr(c) for c in range(0x4E00, 0xA000)]
    fillers = itertools.chain(singles, (a + b for a in singles for b in singles))
    for token in fillers:
        if len(tokens) >= total - 1:
            break
        if token not in seen:
            seen.add(token)
            tokens.append(token)
    return [*tokens, UNK]


def asr_tokens(size: str) -> list[str]:
    """ASR token list: specials, Chinese characters, English words and pieces, <unk> last."""
    base = [*SPECIAL_HEAD, *CHINESE, *ENGLISH_WORDS, *ENGLISH_PIECES]
    if size == "full":
        return _fill_tokens(base, FULL_ASR_VOCAB)
    return [*base, UNK]


def english_asr_tokens() -> list[str]:
    """Tokens of the English model: specials, words and "@@" word pieces, <unk> last, as
    speech_paraformer-large-vad-punc_asr_nat-en-16k-common-vocab10020's tokens.json is."""
    return [*SPECIAL_HEAD, *ENGLISH_WORDS, *ENGLISH_PIECES, UNK]


def seg_dict_lines(tokens: list[str]) -> list[str]:
    """SeACo seg_dict lines (`word token token ...`): every ordinary token, then words."""
    plain = [t for t in tokens if t not in (*SPECIAL_HEAD, UNK) and not t.endswith("@@")]
    return [f"{t} {t}" for t in plain] + [f"{w} {p}" for w, p in SEG_DICT_WORDS.items()]


def punc_tokens(size: str) -> list[str]:
    """Punctuation token list: the ASR's words and characters, so its output maps to known ids."""
    base = [
        *PUNC_SPECIAL_HEAD,
        *CHINESE,
        *PUNC_WORDS,
        *ENGLISH_WORDS,
        "planning",
        "release",
        "office",
    ]
    if size == "full":
        return _fill_tokens(base, FULL_PUNC_VOCAB)
    return [*base, UNK]


def _dims(size: str, tiny: dict[str, int], full: dict[str, int]) -> dict[str, int]:
    """Pick the dimension table for `size`."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    return tiny if size == "tiny" else full


def asr_config(size: str, vocab_size: int) -> dict[str, Any]:
    """SeACo-Paraformer config after speech_seaco_paraformer_large_asr_nat-zh-cn-16k-common."""
    d = _dims(
        size,
        tiny=dict(dim=32, heads=2, ffn=64, enc=2, dec=2, seaco_ffn=64, seaco=1, kernel=5),
        full=dict(dim=512, heads=4, ffn=2048, enc=50, dec=16, seaco_ffn=1024, seaco=6, kernel=21),
    )
    # The hotword decoder's "no bias" class; the released model uses id 8377 of its 8404.
    no_bias = 8377 if size == "full" else vocab_size - 1
    return {
        "model": "SeacoParaformer",
        "model_conf": {
            "ctc_weight": 0.0,
            "lsm_weight": 0.1,
            "length_normalized_loss": True,
            "predictor_weight": 1.0,
            "predictor_bias": 1,
            "sampling_ratio": 0.75,
            # SeACo attends from decoder states, so its inner width must equal the decoder's.
            "inner_dim": d["dim"],
            "bias_encoder_type": "lstm",
            "bias_encoder_bid": False,
            "seaco_lsm_weight": 0.1,
            "seaco_length_normalized_loss": True,
            "NO_BIAS": no_bias,
            "seaco_weight": 1.0,
        },
        "encoder": "SANMEncoder",
        "encoder_conf": {
            "output_size": d["dim"],
            "attention_heads": d["heads"],
            "linear_units": d["ffn"],
            "num_blocks": d["enc"],
            "dropout_rate": 0.1,
            "positional_dropout_rate": 0.1,
            "attention_dropout_rate": 0.1,
            "input_layer": "pe",
            "pos_enc_class": "SinusoidalPositionEncoder",
            "normalize_before": True,
            "kernel_size": 11,
            "sanm_shfit": 0,
            "selfattention_layer_type": "sanm",
        },
        "decoder": "ParaformerSANMDecoder",
        "decoder_conf": {
            "attention_heads": d["heads"],
            "linear_units": d["ffn"],
            "num_blocks": d["dec"],
            "att_layer_num": d["dec"],
            "dropout_rate": 0.1,
            "positional_dropout_rate": 0.1,
            "self_attention_dropout_rate": 0.1,
            "src_attention_dropout_rate": 0.1,
            "kernel_size": 11,
            "sanm_shfit": 0,
        },
        "seaco_decoder": "ParaformerSANMDecoder",
        "seaco_decoder_conf": {
            "attention_heads": d["heads"],
            "linear_units": d["seaco_ffn"],
            "num_blocks": d["seaco"],
            "att_layer_num": d["seaco"],
            "dropout_rate": 0.1,
            "positional_dropout_rate": 0.1,
            "self_attention_dropout_rate": 0.1,
            "src_attention_dropout_rate": 0.1,
            "kernel_size": d["kernel"],
            "sanm_shfit": 0,
            "wo_input_layer": True,
            "use_output_layer": False,
        },
        "predictor": "CifPredictorV3",
        "predictor_conf": {
            "idim": d["dim"],
            "threshold": 1.0,
            "l_order": 1,
            "r_order": 1,
            "tail_threshold": 0.45,
            "smooth_factor2": 0.25,
            "noise_threshold2": 0.01,
            # Timestamps assume 3x upsampling (ts_prediction_lfr6_standard's upsample_rate).
            "upsample_times": 3,
            "use_cif1_cnn": False,
            "upsample_type": "cnn_blstm",
        },
        "frontend": "WavFrontend",
        "frontend_conf": {
            "fs": 16000,
            "window": "hamming",
            "n_mels": 80,
            "frame_length": 25,
            "frame_shift": 10,
            "lfr_m": 7,
            "lfr_n": 6,
            # No dither, so the same audio always gives the same text in tests.
            "dither": 0.0,
        },
        "tokenizer": "CharTokenizer",
        "tokenizer_conf": {"unk_symbol": UNK, "split_with_space": True},
    }


def english_asr_config(size: str) -> dict[str, Any]:
    """Plain Paraformer (CifPredictorV2: no timestamp head), as the English preset's model.

    The released model's config.yaml names `model: Paraformer` and `predictor: CifPredictorV2`;
    its timestamps come from the CIF alphas and peaks (`ts_prediction_lfr6_standard`), which
    is the call FunASR 1.4.16 makes with its two arguments swapped (engine/funasr_fixes.py).
    """
    base = asr_config(size, 0)
    model_conf = {
        key: base["model_conf"][key]
        for key in (
            "ctc_weight",
            "lsm_weight",
            "length_normalized_loss",
            "predictor_weight",
            "predictor_bias",
            "sampling_ratio",
        )
    }
    dim = base["encoder_conf"]["output_size"]
    return {
        "model": "Paraformer",
        "model_conf": model_conf,
        "encoder": base["encoder"],
        "encoder_conf": base["encoder_conf"],
        "decoder": base["decoder"],
        "decoder_conf": base["decoder_conf"],
        "predictor": "CifPredictorV2",
        "predictor_conf": {
            "idim": dim,
            "threshold": 1.0,
            "l_order": 1,
            "r_order": 1,
            "tail_threshold": 0.45,
        },
        "frontend": base["frontend"],
        "frontend_conf": base["frontend_conf"],
        "tokenizer": "CharTokenizer",
        "tokenizer_conf": {"unk_symbol": UNK, "split_with_space": True},
    }


def punc_config(size: str) -> dict[str, Any]:
    """CT-Transformer config after punc_ct-transformer_zh-cn-common-vocab272727-pytorch."""
    d = _dims(
        size,
        tiny=dict(dim=32, heads=2, ffn=64, blocks=2),
        full=dict(dim=256, heads=8, ffn=1024, blocks=4),
    )
    return {
        "model": "CTTransformer",
        "model_conf": {
            "ignore_id": 0,
            "embed_unit": d["dim"],
            "att_unit": d["dim"],
            "dropout_rate": 0.1,
            "punc_list": PUNC_LIST,
            "punc_weight": [1.0] * len(PUNC_LIST),
            "sentence_end_id": 3,
        },
        "encoder": "SANMEncoder",
        "encoder_conf": {
            "input_size": d["dim"],
            "output_size": d["dim"],
            "attention_heads": d["heads"],
            "linear_units": d["ffn"],
            "num_blocks": d["blocks"],
            "dropout_rate": 0.1,
            "positional_dropout_rate": 0.1,
            "attention_dropout_rate": 0.0,
            "input_layer": "pe",
            "pos_enc_class": "SinusoidalPositionEncoder",
            "normalize_before": True,
            "kernel_size": 11,
            "sanm_shfit": 0,
            "selfattention_layer_type": "sanm",
            "padding_idx": 0,
        },
        "tokenizer": "CharTokenizer",
        "tokenizer_conf": {"unk_symbol": UNK},
    }


def spk_config(size: str) -> dict[str, Any]:
    """CAM++ config after speech_campplus_sv_zh-cn_16k-common (its layer counts are fixed)."""
    d = _dims(
        size,
        tiny=dict(embedding=32, growth=4, bn=2, channels=16),
        full=dict(embedding=192, growth=32, bn=4, channels=128),
    )
    return {
        "model": "CAMPPlus",
        "model_conf": {
            "feat_dim": 80,
            "embedding_size": d["embedding"],
            "growth_rate": d["growth"],
            "bn_size": d["bn"],
            "init_channels": d["channels"],
            "config_str": "batchnorm-relu",
            "memory_efficient": True,
            "output_level": "segment",
        },
    }


def vad_config(size: str) -> dict[str, Any]:
    """FSMN-VAD config: the released post-processing settings over a random FSMN."""
    d = _dims(
        size,
        tiny=dict(affine=32, layers=2, linear=32, proj=16),
        full=dict(affine=140, layers=4, linear=250, proj=128),
    )
    return {
        "frontend": "WavFrontendOnline",
        "frontend_conf": {
            "fs": 16000,
            "window": "hamming",
            "n_mels": 80,
            "frame_length": 25,
            "frame_shift": 10,
            "dither": 0.0,
            "lfr_m": 5,
            "lfr_n": 1,
        },
        "model": "FsmnVADStreaming",
        "model_conf": {
            "sample_rate": 16000,
            "detect_mode": 1,
            "snr_mode": 0,
            "max_end_silence_time": 800,
            "max_start_silence_time": 3000,
            "do_start_point_detection": True,
            "do_end_point_detection": True,
            "window_size_ms": 200,
            "sil_to_speech_time_thres": 150,
            "speech_to_sil_time_thres": 150,
            "speech_2_noise_ratio": 1.0,
            "do_extend": 1,
            "lookback_time_start_point": 200,
            "lookahead_time_end_point": 100,
            "max_single_segment_time": 60000,
            "snr_thres": -100.0,
            "noise_frame_num_used_for_snr": 100,
            "decibel_thres": -100.0,
            "speech_noise_thres": 0.6,
            "fe_prior_thres": 0.0001,
            "silence_pdf_num": 1,
            "sil_pdf_ids": [0],
            "speech_noise_thresh_low": -0.1,
            "speech_noise_thresh_high": 0.3,
            "output_frame_probs": False,
            "frame_in_ms": 10,
            "frame_length_ms": 25,
        },
        "encoder": "FSMN",
        "encoder_conf": {
            "input_dim": VAD_LFR_DIM,
            "input_affine_dim": d["affine"],
            "fsmn_layers": d["layers"],
            "linear_dim": d["linear"],
            "proj_dim": d["proj"],
            "lorder": 20,
            "rorder": 0,
            "lstride": 1,
            "rstride": 0,
            "output_affine_dim": d["affine"],
            "output_dim": 248,
        },
    }
