"""The voice library file, and name suggestions from it (controlled embeddings)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.speakers.library import LibraryError, VoiceLibrary, mean_of_units
from engine.speakers.suggest import speaker_vectors, suggest
from tests.engine.speakers.samples import MODEL, voice, voice_file


def test_saved_voices_are_listed_by_name_and_survive_a_reload(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    ada = library.save("  Ada  Lovelace ", MODEL, voice(1, 1, 10))
    library.save("Babbage", MODEL, voice(2, 2, 10))
    again = VoiceLibrary(tmp_path / "voices.json")
    assert [v.name for v in again.voices()] == ["Ada Lovelace", "Babbage"]
    assert again.voice(ada.id).windows == 10
    assert np.array_equal(again.voice(ada.id).mean, ada.mean)


def test_rename_delete_and_resave_merge_windows(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    saved = library.save("Ada", MODEL, voice(1, 1, 10))
    library.rename(saved.id, "Ada L.")
    more = voice(1, 11, 30)
    merged = library.resave(saved.id, MODEL, more)
    assert merged.windows == 40 and library.voice(saved.id).name == "Ada L."
    expected = mean_of_units(np.concatenate([voice(1, 1, 10), more]))
    np.testing.assert_allclose(merged.mean, expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(LibraryError, match="another speaker model"):
        library.resave(saved.id, "sha256:other", more)
    library.delete(saved.id)
    assert library.voices() == []
    with pytest.raises(LibraryError):
        library.delete(saved.id)
    with pytest.raises(LibraryError, match="name"):
        library.save("  ", MODEL, more)


def test_a_damaged_library_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "voices.json"
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(LibraryError, match="unreadable"):
        VoiceLibrary(path).voices()
    assert path.read_text(encoding="utf-8") == "{broken"


def test_a_saved_voice_is_suggested_for_the_same_voice_and_not_for_another(
    tmp_path: Path,
) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_embeddings = voice_file([voice(1, 1, 12), voice(2, 2, 12)])
    library.save("Ada", MODEL, speaker_vectors(first, first_embeddings, 0))

    # voice 3 (never saved), then voice 1 with other noise
    second, second_embeddings = voice_file([voice(3, 3, 12), voice(1, 101, 12)])
    found = suggest(second, second_embeddings, library.voices())

    assert [(s.speaker, s.voice.name) for s in found] == [(1, "Ada")]
    assert found[0].similarity > 0.9


def test_voices_of_another_speaker_model_never_match(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_embeddings = voice_file([voice(1, 1, 12)])
    library.save("Ada", MODEL, speaker_vectors(first, first_embeddings, 0))
    other, other_embeddings = voice_file([voice(1, 101, 12)], model="sha256:model-b")
    assert suggest(other, other_embeddings, library.voices()) == []


def test_one_voice_is_suggested_for_its_closest_speaker_only(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_embeddings = voice_file([voice(1, 1, 12)])
    library.save("Ada", MODEL, speaker_vectors(first, first_embeddings, 0))
    # two speakers that are both voice 1 (an over-split file): one suggestion
    second, second_embeddings = voice_file([voice(1, 101, 12), voice(1, 201, 12)])
    assert len(suggest(second, second_embeddings, library.voices(), threshold=0.5)) == 1
