"""Speaker names after a re-cluster follow the speech they mostly cover."""

from __future__ import annotations

from engine.speakers.naming import carry_names, renumber
from engine.transcript import Sentence, Speaker


def _sentences(speakers: list[int], length: int = 1000) -> list[Sentence]:
    return [Sentence(i * length, (i + 1) * length, "x", s) for i, s in enumerate(speakers)]


def test_cluster_ids_are_numbered_by_first_appearance() -> None:
    assert renumber([5, 5, 2, 7, 2, 5]) == [0, 0, 1, 2, 1, 0]


def test_a_split_speaker_keeps_its_name_on_the_larger_part() -> None:
    old = _sentences([0, 0, 0, 1, 1])
    speakers = [Speaker(0, "Ada", 0), Speaker(1, "Grace", 1)]
    new = carry_names(old, speakers, [0, 0, 2, 1, 1])
    assert [(s.index, s.name, s.color_slot) for s in new] == [
        (0, "Ada", 0),
        (1, "Grace", 1),
        (2, None, 2),
    ]


def test_merged_speakers_take_the_name_of_whoever_spoke_most() -> None:
    old = _sentences([0, 1, 1, 2])
    speakers = [Speaker(0, "Ada", 0), Speaker(1, "Grace", 1), Speaker(2, None, 2)]
    new = carry_names(old, speakers, [0, 0, 0, 1])
    assert [s.name for s in new] == ["Grace", None]


def test_a_name_goes_to_one_new_speaker_only() -> None:
    old = _sentences([0, 0, 0, 0])
    new = carry_names(old, [Speaker(0, "Ada", 0)], [0, 0, 1, 0])
    assert [s.name for s in new] == ["Ada", None]
