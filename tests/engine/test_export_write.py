"""Atomic writes: a reader sees the old file or the new one, and no temp file is left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from engine import atomic, export
from engine.transcript import Transcript


def test_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    atomic.write_text_atomic(target, "新的\n")
    assert target.read_bytes() == "新的\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_newlines_are_written_in_the_asked_convention(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    atomic.write_text_atomic(target, "a\nb\n", newline="\r\n")
    assert target.read_bytes() == b"a\r\nb\r\n"


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        export.write(Transcript("a.wav", 0), "json", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_overwriting_keeps_the_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.vtt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    export.write(Transcript("a.wav", 0), "vtt", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_file_gets_ordinary_permissions_not_private_temp_ones(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    old_umask = os.umask(0o022)
    try:
        atomic.write_bytes_atomic(target, b"x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_missing_folder_is_an_error_not_a_silent_success(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic.write_bytes_atomic(tmp_path / "nope" / "out.txt", b"x")
