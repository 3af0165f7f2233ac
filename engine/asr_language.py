"""Which language an ASR model writes, from its token list (no torch here).

FunASR's sentence splitter needs to be told about English (`en_post_proc=True`): without it,
`timestamp_sentence` ends English sentences with Chinese full-width marks (`how are you。`)
and glues words together (funasr/utils/timestamp_tools.py). The model folder says nothing
about its language, but its vocabulary does: the English Paraformer's tokens are Latin words
and "@@" pieces, the Chinese models' mostly CJK characters (with some English words mixed in).
"""

from __future__ import annotations

from collections.abc import Iterable


def is_english_vocabulary(tokens: Iterable[str]) -> bool:
    """True when most ordinary tokens are Latin-script words or word pieces."""
    latin = cjk = 0
    for token in tokens:
        if token.startswith("<") and token.endswith(">"):
            continue  # <blank>, <s>, </s>, <unk>
        if any(_is_cjk(c) for c in token):
            cjk += 1
        elif any(c.isascii() and c.isalpha() for c in token):
            latin += 1
    return latin > cjk


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF
