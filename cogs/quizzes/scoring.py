"""Points for an answer, and the order of a leaderboard.

A right answer scores 1000 × (1 − t / 2T), rounded: t is the time it took from the card's
appearance, T the question's time; 1000 at once, 500 at the last moment. A wrong answer
scores 0. Ties are broken by the total time of all one's answers (the quicker first), then
by name, so the order never depends on the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_POINTS = 1000


def points(correct: bool, elapsed_ms: int, seconds: int) -> int:
    if not correct:
        return 0
    allowed = max(seconds, 1) * 1000
    spent = min(max(elapsed_ms, 0), allowed)
    return round(MAX_POINTS * (1 - spent / (2 * allowed)))


@dataclass(frozen=True, slots=True)
class Standing:
    member_id: str
    name: str
    points: int
    right: int
    answered: int
    time_ms: int
    rank: int = 0


def ranked(standings: Iterable[Standing]) -> list[Standing]:
    """Best first; equal points and equal time share a rank."""
    ordered = sorted(standings, key=lambda s: (-s.points, s.time_ms, s.name.casefold()))
    result: list[Standing] = []
    for index, standing in enumerate(ordered):
        previous = result[-1] if result else None
        tied = previous is not None and (previous.points, previous.time_ms) == (
            standing.points,
            standing.time_ms,
        )
        rank = previous.rank if tied and previous is not None else index + 1
        result.append(
            Standing(
                standing.member_id,
                standing.name,
                standing.points,
                standing.right,
                standing.answered,
                standing.time_ms,
                rank,
            )
        )
    return result
