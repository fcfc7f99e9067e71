"""A giveaway on PostgreSQL with two bot processes' worth of concurrency: double entries
count once, the close draws once, simultaneous rerolls draw one after the other."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.contests.entering import EntryOutcome
from cogs.contests.models import GIVEAWAY
from cogs.contests.service import ContestService
from cogs.contests.winners import Winners
from tests.contest_helpers import recompute
from tests.postgres import fresh_postgres


async def test_entries_close_and_rerolls_happen_once() -> None:
    async with fresh_postgres() as url:
        await asyncio.to_thread(upgrade, url)
        first, second = Database(url), Database(url)
        try:
            now = datetime.now(UTC)
            a, b = ContestService(first), ContestService(second)
            contest_id = await a.create(
                Community("console", "c1", "Test"),
                "general",
                Member("console", "c1", "mara", "mara"),
                kind=GIVEAWAY,
                title="Felpa",
                winners=3,
                now=now,
                ends_at=now + timedelta(hours=1),
            )
            members = [
                Member("console", "c1", f"m{number:02d}", f"m{number}") for number in range(15)
            ]
            outcomes = await asyncio.gather(
                *(
                    service.enter(contest_id, member, now)
                    for member in members
                    for service in (a, b)
                )
            )
            assert outcomes.count(EntryOutcome.ADDED) == 15
            assert outcomes.count(EntryOutcome.ALREADY) == 15
            closed = await asyncio.gather(
                *(service.close(contest_id, now) for service in (a, b) * 3)
            )
            assert closed.count(True) == 1
            late = await b.enter(contest_id, Member("console", "c1", "late", "late"), now)
            assert late is EntryOutcome.CLOSED
            rerolls = await asyncio.gather(
                Winners(first).reroll(contest_id, 1, now),
                Winners(second).reroll(contest_id, 1, now),
            )
            assert all(result is not None and len(result.winners) == 1 for result in rerolls)
            view = await a.view(contest_id)
            assert view is not None
            winners = [winner.member_id for winner in await Winners(first).of(contest_id)]
            expected = recompute(view.seed, [member.id for member in members], [3, 1, 1])
            assert winners == [name for round_ in expected for name in round_]
        finally:
            await first.dispose()
            await second.dispose()
