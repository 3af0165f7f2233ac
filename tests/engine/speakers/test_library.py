"""The voice library file, and name suggestions from it (controlled embeddings)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.speakers.embeddings import SpeakerEmbeddings
from engine.speakers.library import LibraryError, VoiceLibrary, mean_of_units
from engine.speakers.suggest import speaker_vectors, suggest
from engine.transcript import Sentence, Speaker, Transcript

MODEL = "sha256:model-a"


def _voice(seed: int, n: int, spread: float = 0.3) -> np.ndarray:
    """`n` embeddings of one synthetic voice: a fixed direction plus noise."""
    rng = np.random.default_rng(seed)
    centre = np.random.default_rng(1000 + seed % 100).standard_normal(32)
    return (centre + spread * rng.standard_normal((n, 32)) * np.linalg.norm(centre) / 6).astype(
        np.float32
    )


def _file(voices: list[np.ndarray], model: str = MODEL) -> tuple[Transcript, SpeakerEmbeddings]:
    """A transcript with one 10 s sentence per voice, and that voice's windows inside it."""
    sentences, vectors, windows = [], [], []
    for index, vecs in enumerate(voices):
        start = index * 10.0
        sentences.append(Sentence(int(start * 1000), int((start + 9.9) * 1000), "x", index))
        starts = start + np.linspace(0, 8.3, len(vecs))
        windows.append(np.stack([starts, starts + 1.5], axis=1))
        vectors.append(vecs)
    speakers = [Speaker(i, None, i) for i in range(len(voices))]
    embeddings = SpeakerEmbeddings(np.concatenate(vectors), np.concatenate(windows), model)
    return Transcript("f.wav", len(voices) * 10_000, {}, sentences, speakers), embeddings


def test_saved_voices_are_listed_by_name_and_survive_a_reload(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    ada = library.save("  Ada  Lovelace ", MODEL, _voice(1, 10))
    library.save("Babbage", MODEL, _voice(2, 10))
    again = VoiceLibrary(tmp_path / "voices.json")
    assert [v.name for v in again.voices()] == ["Ada Lovelace", "Babbage"]
    assert again.voice(ada.id).windows == 10
    assert np.array_equal(again.voice(ada.id).mean, ada.mean)


def test_rename_delete_and_resave_merge_windows(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    voice = library.save("Ada", MODEL, _voice(1, 10))
    library.rename(voice.id, "Ada L.")
    more = _voice(11, 30)
    merged = library.resave(voice.id, MODEL, more)
    assert merged.windows == 40 and library.voice(voice.id).name == "Ada L."
    expected = mean_of_units(np.concatenate([_voice(1, 10), more]))
    np.testing.assert_allclose(merged.mean, expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(LibraryError, match="another speaker model"):
        library.resave(voice.id, "sha256:other", more)
    library.delete(voice.id)
    assert library.voices() == []
    with pytest.raises(LibraryError):
        library.delete(voice.id)
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
    first, first_embeddings = _file([_voice(1, 12), _voice(2, 12)])
    library.save("Ada", MODEL, speaker_vectors(first, first_embeddings, 0))

    second, second_embeddings = _file([_voice(3, 12), _voice(101, 12)])  # voice 1, new noise
    found = suggest(second, second_embeddings, library.voices())

    assert [(s.speaker, s.voice.name) for s in found] == [(1, "Ada")]
    assert found[0].similarity > 0.9


def test_voices_of_another_speaker_model_never_match(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_embeddings = _file([_voice(1, 12)])
    library.save("Ada", MODEL, speaker_vectors(first, first_embeddings, 0))
    other, other_embeddings = _file([_voice(101, 12)], model="sha256:model-b")
    assert suggest(other, other_embeddings, library.voices()) == []


def test_one_voice_is_suggested_for_its_closest_speaker_only(tmp_path: Path) -> None:
    library = VoiceLibrary.in_data_dir(tmp_path)
    first, first_embeddings = _file([_voice(1, 12)])
    library.save("Ada", MODEL, speaker_vectors(first, first_embeddings, 0))
    # two speakers that are both voice 1 (an over-split file): one suggestion
    second, second_embeddings = _file([_voice(101, 12), _voice(201, 12)])
    assert len(suggest(second, second_embeddings, library.voices(), threshold=0.5)) == 1
