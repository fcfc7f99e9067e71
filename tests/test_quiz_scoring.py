"""Points reward right and fast answers; ties go to the quicker; ranks are shared by equals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogs.quizzes.scoring import Standing, points, ranked


def test_the_documented_formula() -> None:
    assert points(True, 0, 20) == 1000
    assert points(True, 10_000, 20) == 750
    assert points(True, 20_000, 20) == 500
    assert points(True, 25_000, 20) == 500  # a late answer still counts as the last second
    assert points(False, 0, 20) == 0


@given(st.integers(1, 120), st.integers(0, 200_000), st.integers(0, 200_000))
def test_faster_is_never_worse_and_right_always_beats_wrong(
    seconds: int, first: int, second: int
) -> None:
    quick, slow = sorted((first, second))
    assert 500 <= points(True, slow, seconds) <= points(True, quick, seconds) <= 1000
    assert points(False, quick, seconds) == 0


def test_ties_are_broken_by_total_time_then_shared() -> None:
    board = ranked(
        [
            Standing("b", "bob", 1500, 2, 2, 9000),
            Standing("a", "alice", 1500, 2, 2, 4000),
            Standing("c", "carla", 1800, 2, 2, 12000),
            Standing("d", "dario", 1500, 2, 2, 9000),
        ]
    )
    assert [(s.name, s.rank) for s in board] == [
        ("carla", 1),
        ("alice", 2),
        ("bob", 3),
        ("dario", 3),
    ]
