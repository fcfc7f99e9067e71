"""A giveaway's button on its own: entries numbered 1..N also from two processes at once,
one a member, and the press refused without a write for a contest of another community or
kind, one closed, or one whose entry requirements were not checked yet."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.contests.eligibility import Requirements
from cogs.contests.entering import EntryOutcome
from cogs.contests.models import GIVEAWAY, SUBMISSIONS, ContestEntry
from cogs.contests.service import ContestService

HERE = Community("console", "c1", "Test")
ELSEWHERE = Community("console", "c2", "Other")
NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
MARA = Member("console", "c1", "mara", "Mara")


@pytest.fixture
async def databases(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two processes' connections to one database."""
    await asyncio.to_thread(upgrade, database_url)
    first, second = Database(database_url), Database(database_url)
    try:
        yield first, second
    finally:
        await first.dispose()
        await second.dispose()


async def _contest(
    service: ContestService, kind: str = GIVEAWAY, requirements: Requirements | None = None
) -> int:
    return await service.create(
        HERE,
        "general",
        MARA,
        kind=kind,
        title="Buono",
        winners=1,
        now=NOW,
        ends_at=NOW + timedelta(days=1),
        requirements=requirements,
    )


async def _entries(db: Database, contest_id: int) -> list[tuple[int, str]]:
    async with db.session() as session:
        rows = await session.execute(
            select(ContestEntry.number, ContestEntry.member_id)
            .where(ContestEntry.contest_id == contest_id)
            .order_by(ContestEntry.number)
        )
        return list(rows.tuples())


async def test_entries_from_two_processes_are_numbered_without_gaps_or_repeats(
    databases: tuple[Database, Database],
) -> None:
    one, two = (ContestService(db) for db in databases)
    contest_id = await _contest(one)
    members = [Member("console", "c1", f"m{number:02d}", f"M{number}") for number in range(12)]
    outcomes = await asyncio.gather(
        *(
            service.enter(contest_id, member, NOW, giveaway_in=HERE, checked=False)
            for member in members
            for service in (one, two, one)
        )
    )
    assert outcomes.count(EntryOutcome.ADDED) == len(members)
    assert outcomes.count(EntryOutcome.ALREADY) == 2 * len(members)
    entries = await _entries(databases[0], contest_id)
    assert [number for number, _ in entries] == list(range(1, len(members) + 1))
    assert sorted(member for _, member in entries) == [member.id for member in members]


async def test_a_press_elsewhere_or_on_another_kind_is_not_found(
    databases: tuple[Database, Database],
) -> None:
    service = ContestService(databases[0])
    giveaway, submissions = await _contest(service), await _contest(service, SUBMISSIONS)
    member = Member("console", "c2", "bob", "Bob")
    assert await service.enter(giveaway, member, NOW, giveaway_in=ELSEWHERE) is (
        EntryOutcome.NOT_FOUND
    )
    assert await service.enter(submissions, MARA, NOW, giveaway_in=HERE) is (EntryOutcome.NOT_FOUND)
    assert await service.enter(giveaway + 1000, MARA, NOW, giveaway_in=HERE) is (
        EntryOutcome.NOT_FOUND
    )
    assert await service.close(giveaway, NOW)
    assert await service.enter(giveaway, member, NOW, giveaway_in=ELSEWHERE) is (
        EntryOutcome.NOT_FOUND
    )
    assert await service.enter(giveaway, MARA, NOW, giveaway_in=HERE) is EntryOutcome.CLOSED
    assert await _entries(databases[0], giveaway) == []
    assert await _entries(databases[0], submissions) == []


async def test_requirements_are_checked_before_the_entry_is_written(
    databases: tuple[Database, Database],
) -> None:
    service = ContestService(databases[0])
    contest_id = await _contest(service, requirements=Requirements(messages=3))
    unchecked = await service.enter(contest_id, MARA, NOW, giveaway_in=HERE, checked=False)
    assert unchecked is EntryOutcome.UNCHECKED
    assert await _entries(databases[0], contest_id) == []
    assert await service.enter(contest_id, MARA, NOW, giveaway_in=HERE) is EntryOutcome.ADDED
    assert await _entries(databases[0], contest_id) == [(1, "mara")]
