"""The throughput benchmark's key set-ups run in turn: every file once per round, each set-up
in every position of the order, and per-round ratios from the walls."""

from __future__ import annotations

from bench.throughput import round_ratios, together_args


def _batches(args: list[str]) -> list[tuple[str, str, str]]:
    return [(args[i + 1], args[i + 2], args[i + 3]) for i, a in enumerate(args) if a == "--batch"]


def test_each_round_runs_every_set_up_on_all_files_and_the_order_turns() -> None:
    args = together_args(["a", "c", "cw"], files=4, rounds=3)
    batches = _batches(args)
    assert all(first == "0" and end == "4" for _key, first, end in batches)
    order = [key for key, _first, _end in batches]
    assert order == ["a", "c", "cw", "c", "cw", "a", "cw", "a", "c"]
    for key in ("a", "c", "cw"):  # first, second and last once each
        assert sorted(order[r * 3 : r * 3 + 3].index(key) for r in range(3)) == [0, 1, 2]


def test_only_the_batch_set_up_keeps_checkpoints_and_the_pools_have_their_sizes() -> None:
    args = together_args(["a", "c", "cw"], files=2, rounds=1)
    pools = [args[i + 1 : i + 4] for i, a in enumerate(args) if a == "--pool"]
    assert pools == [["a", "1", "1"], ["c", "2", "1"], ["cw", "2", "1"]]
    assert [args[i + 1] for i, a in enumerate(args) if a == "--split"] == ["c"]


def test_round_ratios_are_inverse_wall_ratios_round_by_round() -> None:
    results = {"a": {"walls": [40.0, 44.0]}, "c": {"walls": [20.0, 23.0]}}
    assert round_ratios(results, "c", "a") == [2.0, 44.0 / 23.0]
    assert round_ratios({"a": {"walls": [40.0]}, "c": {"walls": [20.0]}}, "c", "a") == []
    assert round_ratios(results, "cw", "a") == []
