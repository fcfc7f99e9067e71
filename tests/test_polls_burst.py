"""Presses that arrive together are applied together, in the order they came: a double
click counts once, a change of mind moves the vote, a multiple-choice toggle takes it back,
and the counts every press is answered with are the poll's true ones."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.polls.models import PollVote
from cogs.polls.service import PollService, VoteOutcome

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
COMMUNITY = Community("console", "c1", "Test")


@pytest.fixture
async def service(database_url: str) -> AsyncIterator[PollService]:
    """On SQLite and, in the suite's PostgreSQL pass, on PostgreSQL: their votes take two
    different paths (one statement for the lock and the counts, or two)."""
    await asyncio.to_thread(upgrade, database_url)
    db = Database(database_url)
    try:
        yield PollService(db)
    finally:
        await db.dispose()


def member(name: str) -> Member:
    return Member("console", "c1", name, name)


async def new_poll(service: PollService, *, multiple: bool = False) -> int:
    return await service.create(
        COMMUNITY,
        "general",
        member("alice"),
        "Pizza o pasta?",
        ["Pizza", "Pasta", "Riso"],
        anonymous=False,
        multiple=multiple,
        now=NOW,
        closes_at=None,
    )


async def rows(service: PollService, poll_id: int) -> list[tuple[str, int]]:
    async with service.db.session() as session:
        found = await session.execute(
            select(PollVote.member_id, PollVote.position)
            .where(PollVote.poll_id == poll_id)
            .order_by(PollVote.member_id, PollVote.position)
        )
        return [(member_id, position) for member_id, position in found.tuples()]


async def test_a_burst_of_presses_is_applied_in_order_and_counted_once(
    service: PollService,
) -> None:
    poll_id = await new_poll(service)
    presses = [
        *((f"m{number}", number % 2) for number in range(40)),
        ("m0", 0),  # a double click
        ("m1", 0),  # m1 changes from Pasta to Pizza…
        ("m1", 2),  # …then to Riso
        ("m2", 9),  # no such option
    ]
    results = await asyncio.gather(
        *(service.vote(poll_id, position, member(name), NOW) for name, position in presses)
    )
    outcomes = [outcome for outcome, _ in results]
    assert outcomes[:40] == [VoteOutcome.ADDED] * 40
    assert outcomes[40:] == [
        VoteOutcome.UNCHANGED,
        VoteOutcome.CHANGED,
        VoteOutcome.CHANGED,
        VoteOutcome.NOT_FOUND,
    ]
    stored = await rows(service, poll_id)
    assert len(stored) == 40 and ("m1", 2) in stored and ("m1", 1) not in stored
    view = await service.view(poll_id)
    assert view is not None
    assert [option.votes for option in view.options] == [20, 19, 1] and view.voters == 40
    # Every press is answered with counts the poll really had once its batch was applied,
    # and the last answer shows the final counts.
    answered = [result for _, result in results if result is not None]
    assert [option.votes for option in answered[-1].options] == [20, 19, 1]
    assert all(sum(option.votes for option in shown.options) <= 40 for shown in answered)


async def test_multiple_choice_toggles_in_one_burst(service: PollService) -> None:
    poll_id = await new_poll(service, multiple=True)
    bob = member("bob")
    results = await asyncio.gather(
        service.vote(poll_id, 0, bob, NOW),
        service.vote(poll_id, 1, bob, NOW),
        service.vote(poll_id, 0, bob, NOW),  # takes Pizza back
        service.vote(poll_id, 2, member("carla"), NOW),
    )
    assert [outcome for outcome, _ in results] == [
        VoteOutcome.ADDED,
        VoteOutcome.ADDED,
        VoteOutcome.REMOVED,
        VoteOutcome.ADDED,
    ]
    assert await rows(service, poll_id) == [("bob", 1), ("carla", 2)]
    view = results[-1][1]
    assert view is not None and [option.votes for option in view.options] == [0, 1, 1]
    assert view.voters == 2


async def test_presses_on_a_closed_poll_change_nothing(service: PollService) -> None:
    poll_id = await new_poll(service)
    assert await service.close(poll_id, NOW, None)
    results = await asyncio.gather(
        *(service.vote(poll_id, 0, member(f"m{number}"), NOW) for number in range(5))
    )
    assert [outcome for outcome, _ in results] == [VoteOutcome.CLOSED] * 5
    assert await rows(service, poll_id) == []
    missing, _ = await service.vote(poll_id + 1, 0, member("m0"), NOW)
    assert missing is VoteOutcome.NOT_FOUND


async def test_a_change_of_mind_later_moves_the_vote(service: PollService) -> None:
    poll_id = await new_poll(service)
    await service.vote(poll_id, 0, member("bob"), NOW)
    outcome, view = await service.vote(poll_id, 1, member("bob"), NOW)
    assert outcome is VoteOutcome.CHANGED
    assert view is not None and [option.votes for option in view.options] == [0, 1, 0]
    assert await rows(service, poll_id) == [("bob", 1)]
