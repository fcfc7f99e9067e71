"""The same poll on PostgreSQL, with two bot processes' worth of concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.polls.service import PollService, VoteOutcome
from tests.postgres import fresh_postgres


async def test_concurrent_closes_close_once_and_double_votes_count_once() -> None:
    async with fresh_postgres() as url:
        await asyncio.to_thread(upgrade, url)
        first, second = Database(url), Database(url)
        try:
            community = Community("console", "c1", "Test")
            author = Member("console", "c1", "alice", "alice")
            now = datetime.now(UTC)
            service_a, service_b = PollService(first), PollService(second)
            poll_id = await service_a.create(
                community,
                "general",
                author,
                "Q?",
                ["A", "B"],
                anonymous=False,
                multiple=False,
                now=now,
                closes_at=None,
            )
            voters = [Member("console", "c1", f"m{number}", f"m{number}") for number in range(20)]
            outcomes = await asyncio.gather(
                *(
                    service.vote(poll_id, 0, voter, now)
                    for voter in voters
                    for service in (service_a, service_b)
                )
            )
            assert [outcome for outcome, _ in outcomes].count(VoteOutcome.ADDED) == 20
            view = await service_a.view(poll_id)
            assert view is not None and view.options[0].votes == 20 and view.voters == 20
            closed = await asyncio.gather(
                *(service.close(poll_id, now, None) for service in (service_a, service_b) * 5)
            )
            assert closed.count(True) == 1
            late, _ = await service_b.vote(poll_id, 1, voters[0], now)
            assert late is VoteOutcome.CLOSED
        finally:
            await first.dispose()
            await second.dispose()
