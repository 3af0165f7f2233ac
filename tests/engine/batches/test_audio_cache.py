"""The worker's audio cache: two short files kept, one long file alone, a changed file decoded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from engine.batches.audio_cache import AudioCache


def _copies(source: Path, folder: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        shutil.copy(source, folder / name)
        out.append(folder / name)
    return out


def test_two_short_files_are_both_kept_and_a_third_drops_the_oldest(
    speech_wav: Path, tmp_path: Path
) -> None:
    a, b, c = _copies(speech_wav, tmp_path, "a.wav", "b.wav", "c.wav")
    cache = AudioCache()
    first = cache.get(str(a), lambda *_: None)
    cache.get(str(b), lambda *_: None)
    assert cache.get(str(a), lambda *_: None) is first  # kept: not decoded again
    cache.get(str(c), lambda *_: None)
    assert cache.paths() == [str(a), str(c)]  # b was the least recently used


def test_files_over_the_byte_bound_are_kept_one_at_a_time(speech_wav: Path, tmp_path: Path) -> None:
    a, b = _copies(speech_wav, tmp_path, "a.wav", "b.wav")
    cache = AudioCache(keep_bytes=1)  # every file is "long"
    cache.get(str(a), lambda *_: None)
    cache.get(str(b), lambda *_: None)
    assert cache.paths() == [str(b)]


def test_a_file_changed_on_disk_is_decoded_again_and_forget_drops_it(
    speech_wav: Path, tmp_path: Path
) -> None:
    [a] = _copies(speech_wav, tmp_path, "a.wav")
    cache = AudioCache()
    first = cache.get(str(a), lambda *_: None)
    os.utime(a, ns=(1, 1))
    again = cache.get(str(a), lambda *_: None)
    assert again is not first and cache.paths() == [str(a)]
    cache.forget(str(a))
    assert cache.paths() == []
