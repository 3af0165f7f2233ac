"""Split sentences into subtitle cues within line, line-count and duration limits.

Cuts fall at token timestamps when the sentence text aligns with its tokens, otherwise
times are shared out by character count. Cues never overlap and never lose or repeat text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from engine.export import ExportOptions
    from engine.transcript import Sentence, Token, Transcript


@dataclass(frozen=True)
class Cue:
    """One subtitle: times, text lines (the first without prefix), speaker and its prefix."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: int | None = None
    prefix: str = ""  # "Name: " on the first cue of a speaker turn

    def display_lines(self) -> tuple[str, ...]:
        """The lines as shown, the prefix in front of the first."""
        if not self.prefix:
            return self.lines
        return ((self.prefix + self.lines[0]).rstrip(), *self.lines[1:])


class _Unit(NamedTuple):
    """A piece of text that is never cut (a word, a CJK character with its punctuation)."""

    text: str
    start: int
    end: int


def build_cues(transcript: Transcript, options: ExportOptions) -> list[Cue]:
    """All cues of a transcript, in order, within the option's limits."""
    cues: list[Cue] = []
    previous: int | None = None
    for sentence in transcript.sentences:
        text = " ".join(sentence.text.split())  # newlines in text would end an SRT cue
        if not text:
            continue
        prefix = ""
        # The name opens each speaker turn, not every cue: less to read, same meaning.
        if options.speaker_prefix and sentence.speaker not in (None, previous):
            prefix = transcript.speaker_name(sentence.speaker) + ": "
        previous = sentence.speaker
        cues += _sentence_cues(sentence, text, prefix, options)
    return _untangle(cues, options.max_cue_ms)


def line_limit(text: str, options: ExportOptions) -> int:
    """Line width for this text in columns (a CJK character takes two, see `columns`)."""
    cjk = is_cjk(text)
    chars = options.max_line_chars
    if chars is None:
        chars = options.max_line_chars_cjk if cjk else options.max_line_chars_latin
    # Limits count characters of the text's own script; a Latin name in a CJK line is narrow.
    return 2 * chars if cjk else chars


def columns(text: str) -> int:
    """Display width: 2 per wide (CJK) character, 1 per other."""
    if text.isascii():
        return len(text)
    return sum(2 if is_wide_char(c) else 1 for c in text)


def is_cjk(text: str) -> bool:
    """True when at least a third of the visible characters are wide (CJK) ones."""
    visible = [c for c in text if not c.isspace()]
    wide = sum(1 for c in visible if is_wide_char(c))
    return wide > 0 and 3 * wide >= len(visible)


def _sentence_cues(s: Sentence, text: str, prefix: str, options: ExportOptions) -> list[Cue]:
    limit = line_limit(text, options)
    units = _split_long(_units(s, text), limit)
    cues: list[Cue] = []
    i = 0
    while i < len(units):
        offset = columns(prefix) if i == 0 else 0
        j = i + 1
        while j < len(units) and _fits(units[i : j + 1], limit, offset, options):
            j += 1
        if j < len(units):
            j = _prefer_punctuation(units, i, j)
        group = units[i:j]
        lines = _balanced_wrap([u.text for u in group], limit, offset)
        first = prefix if i == 0 else ""
        cues.append(Cue(group[0].start, group[-1].end, tuple(lines), s.speaker, first))
        i = j
    return cues


def _fits(group: list[_Unit], limit: int, offset: int, options: ExportOptions) -> bool:
    if group[-1].end - group[0].start > options.max_cue_ms:
        return False
    lines = _wrap([u.text for u in group], limit, offset)
    return len(lines) <= options.max_lines and _widest(lines, offset) <= limit


def _prefer_punctuation(units: list[_Unit], i: int, j: int) -> int:
    # A cut after a comma or full stop reads better, if it keeps at least half the cue.
    full = sum(len(u.text) for u in units[i:j])
    for k in range(j - 1, i, -1):
        if 2 * sum(len(u.text) for u in units[i:k]) < full:
            break
        if _closing(units[k - 1].text.rstrip()[-1]):
            return k
    return j


def _wrap(texts: list[str], width: int, offset: int) -> list[str]:
    """Greedy lines; the first line starts `offset` characters in (the speaker prefix)."""
    lines: list[str] = []
    line = ""
    for t in texts:
        if line and offset + columns((line + t).strip()) > width:
            lines.append(line.strip())
            line, offset = "", 0
        elif not line and offset and offset + columns(t.strip()) > width >= columns(t.strip()):
            lines.append("")  # the prefix alone on the first line: the text fits below it
            offset = 0
        line += t
    lines.append(line.strip())
    return lines


def _widest(lines: list[str], offset: int) -> int:
    return max(columns(line) + (offset if n == 0 else 0) for n, line in enumerate(lines))


def _balanced_wrap(texts: list[str], width: int, offset: int) -> list[str]:
    # Narrow the width while the line count holds, so two lines come out of similar length.
    # Not under a speaker prefix: balancing would leave the name nearly alone on its line.
    greedy = _wrap(texts, width, offset)
    if len(greedy) == 1 or offset:
        return greedy
    total = sum(columns(t) for t in texts)
    for narrow in range(max(1, total // len(greedy) // 2), width):
        lines = _wrap(texts, narrow, 0)
        if len(lines) <= len(greedy):
            return lines
    return greedy


def _units(s: Sentence, text: str) -> list[_Unit]:
    pieces = _token_pieces(text, s.tokens) if s.tokens else None
    if pieces is None:
        pieces = _char_pieces(text, s.start_ms, s.end_ms)
    units: list[_Unit] = []
    for p in pieces:
        if units and not _breakable(units[-1].text, p.text):
            last = units[-1]
            units[-1] = _Unit(last.text + p.text, last.start, max(last.end, p.end))
        else:
            units.append(p)
    return _clamp(units, s.start_ms, s.end_ms)


def _token_pieces(text: str, tokens: tuple[Token, ...]) -> list[_Unit] | None:
    """Each token's stretch of text (with what follows it up to the next), or None."""
    folded = _fold(text)
    starts: list[tuple[int, Token]] = []
    pos = 0
    for token in tokens:
        # FunASR tokens may carry BPE markers; punctuation in the text has no token.
        word = _fold(token.text.replace("@@", "").replace("▁", "").strip())
        if not word:
            continue
        while pos < len(text) and not folded.startswith(word, pos) and not text[pos].isalnum():
            pos += 1
        if not folded.startswith(word, pos):
            return None
        starts.append((pos, token))
        pos += len(word)
    if not starts or any(c.isalnum() for c in text[pos:]):
        return None  # text the tokens do not cover would get no time of its own
    bounds = [0] + [p for p, _ in starts[1:]] + [len(text)]
    return [
        _Unit(text[bounds[n] : bounds[n + 1]], t.start_ms, t.end_ms)
        for n, (_, t) in enumerate(starts)
    ]


def _char_pieces(text: str, start: int, end: int) -> list[_Unit]:
    """One piece per visible character, its time a share of the sentence by position."""
    visible = [n for n, c in enumerate(text) if not c.isspace()]
    span = end - start
    bounds = [0, *visible[1:], len(text)]
    return [
        _Unit(
            text[bounds[k] : bounds[k + 1]],
            start + span * k // len(visible),
            start + span * (k + 1) // len(visible),
        )
        for k in range(len(visible))
    ]


def _split_long(units: list[_Unit], limit: int) -> list[_Unit]:
    """Cut units wider than a line (a long URL, say) into line-sized pieces."""
    out: list[_Unit] = []
    for u in units:
        if columns(u.text.rstrip()) <= limit:
            out.append(u)
            continue
        pieces, width = [""], 0  # width: columns of the last piece, which starts visibly
        for c in u.text:
            w = columns(c)
            if pieces[-1] and not c.isspace() and width + w > limit:
                pieces.append("")
                width = 0
            pieces[-1] += c
            width += w
        span, count = u.end - u.start, len(pieces)
        out += [
            _Unit(p, u.start + span * k // count, u.start + span * (k + 1) // count)
            for k, p in enumerate(pieces)
        ]
    return out


def _clamp(units: list[_Unit], start: int, end: int) -> list[_Unit]:
    """Times inside the sentence and never going backwards; the ends are the sentence's."""
    out: list[_Unit] = []
    floor = start
    for u in units:
        s = min(max(u.start, floor), end)
        out.append(_Unit(u.text, s, min(max(u.end, s), end)))
        floor = s
    out[0] = out[0]._replace(start=start)
    out[-1] = out[-1]._replace(end=end)
    return out


def _untangle(cues: list[Cue], max_ms: int) -> list[Cue]:
    """Make cues ordered, non-overlapping, at least 1 ms and at most `max_ms` long."""
    out: list[Cue] = []
    floor = 0
    for c in cues:
        start = max(c.start_ms, floor)
        end = min(max(c.end_ms, start + 1), start + max_ms)
        out.append(Cue(start, end, c.lines, c.speaker, c.prefix))
        floor = end
    return out


def _breakable(left: str, right: str) -> bool:
    a, b = left[-1], right[0]
    if _closing(b) or _opening(a):
        return False  # "，" and "," stay with the word before, "(" with the word after
    return a.isspace() or b.isspace() or is_wide_char(a) or is_wide_char(b)


def _closing(c: str) -> bool:
    category = unicodedata.category(c)
    return category.startswith("P") and category not in ("Ps", "Pi")


def _opening(c: str) -> bool:
    return unicodedata.category(c) in ("Ps", "Pi")


def is_wide_char(c: str) -> bool:
    """True for a wide (CJK) character, which is written without spaces around it."""
    return unicodedata.east_asian_width(c) in ("W", "F")


def _fold(text: str) -> str:
    # Lower-case one character at a time so positions in the folded text match the original.
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)
