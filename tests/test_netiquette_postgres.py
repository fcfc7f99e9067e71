"""The review queue on PostgreSQL, with two bot processes' worth of concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.core.model import Community, Member, MessageRef, PostedMessage
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.netiquette.models import APPROVED, REJECTED
from cogs.netiquette.service import Finding, ReviewService
from tests.postgres import fresh_postgres


async def test_two_processes_open_one_review_count_reports_once_and_decide_once() -> None:
    async with fresh_postgres() as url:
        await asyncio.to_thread(upgrade, url)
        first, second = Database(url), Database(url)
        try:
            community = Community("console", "c1", "Test")
            alice = Member("console", "c1", "alice", "alice")
            message = PostedMessage(MessageRef("console", "c1", "general", "42"), alice, "hm")
            now = datetime.now(UTC)
            services = (ReviewService(first), ReviewService(second))
            opened = await asyncio.gather(
                *(
                    service.open(
                        message, Finding("report", "report"), hold="none", now=now, remind_at=None
                    )
                    for service in services * 5
                )
            )
            assert len({review_id for review_id, _ in opened}) == 1
            assert [created for _, created in opened].count(True) == 1
            review_id = opened[0][0]
            counts = await asyncio.gather(
                *(
                    service.add_report(review_id, reporter, now)
                    for reporter in ("bob", "carla", "bob", "carla")
                    for service in services
                )
            )
            assert sorted(count for count in counts if count is not None) == [1, 2]
            moderators = [Member("console", "c1", f"mod{n}", f"mod{n}") for n in range(6)]
            later = now + timedelta(days=30)
            decided = await asyncio.gather(
                *(
                    services[n % 2].decide(
                        review_id,
                        APPROVED if n % 3 else REJECTED,
                        moderator,
                        now,
                        erase_at=later,
                        strike_expires=later,
                    )
                    for n, moderator in enumerate(moderators)
                )
            )
            assert decided.count(True) == 1
            review = await services[0].view(review_id)
            assert review is not None and review.reports == 2 and review.open_key is None
            strikes = await services[1].active_strikes(community, "alice", now)
            assert len(strikes) == (0 if review.state == APPROVED else 1)
            actions = [action for action, _ in await services[0].audit_actions(community)]
            assert actions == [review.state]
        finally:
            await first.dispose()
            await second.dispose()
