"""The message path's counters, written behind: right after a burst, kept through an outage,
written at a clean stop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.events import MessagePosted
from bot.core.model import Member, MessageRef, Role
from bot.storage.counters import CounterBuffer
from bot.storage.database import Database, unavailable
from bot.storage.migrate import upgrade
from cogs.contests.cog import ContestsCog
from cogs.crisis.models import CrisisMinute
from cogs.digest.activity import Rollups
from cogs.digest.models import ActiveMemberDay, ActivityHour, AwaitingPost
from tests.harness import TestBot
from tests.outage_support import postgres_behind_proxy, tally

MEMBERS = 25
ROUNDS = 4  # each member posts once a round, the rounds 3 s apart: no flood rule fires


async def _burst(bot: TestBot, offset: int = 0) -> list[Member]:
    app, console = bot.app, bot.console
    assert app is not None and app.dispatcher is not None and console is not None
    await bot.say(*[f"join @m{i}" for i in range(MEMBERS)])
    channel = await console.ensure_channel("generale")
    members = [await console.get_member(f"m{i}") for i in range(MEMBERS)]
    assert all(member is not None for member in members)
    # The staff channel made before the burst: the console makes it on first use, and two
    # first uses at once on PostgreSQL collide (a console matter, not the counters').
    await console.role_channel(console.community.id, Role.STAFF)
    dispatcher = app.dispatcher
    for round_ in range(ROUNDS):
        bot.clock.advance(timedelta(seconds=3))
        await asyncio.gather(
            *(
                dispatcher.message_posted(
                    MessagePosted(
                        console.community,
                        channel,
                        member,
                        f"ciao a tutti {round_}",
                        MessageRef("console", "console", channel.id, f"b{offset}-{round_}-{n}"),
                    )
                )
                for n, member in enumerate(members)
                if member is not None
            )
        )
    return [member for member in members if member is not None]


async def _sums(url: str) -> tuple[int, int]:
    """Messages in the crisis minutes and in the digest's active days."""
    db = Database(url)
    try:
        async with db.session() as session:
            minutes = await session.scalar(select(func.sum(CrisisMinute.messages)))
            days = await session.scalar(select(func.sum(ActiveMemberDay.messages)))
        return int(minutes or 0), int(days or 0)
    finally:
        await db.dispose()


async def test_a_burst_is_counted_exactly_and_a_reader_sees_it_at_once(database_url: str) -> None:
    bot = TestBot(database_url, "it")
    await bot.start()
    try:
        members = await _burst(bot)
        assert bot.app is not None and bot.console is not None
        contests = next(c for c in bot.app.report.loaded if isinstance(c, ContestsCog))
        # The eligibility rule reads the count without waiting for the next write.
        assert await contests.facts.messages(bot.console.community, members[0].id) == ROUNDS
        assert len(bot.app.services.counters) == 0
        rows = await tally(database_url, "console")
        assert rows.messages == MEMBERS * ROUNDS
        assert rows.counted == {member.id: ROUNDS for member in members}
        assert await _sums(database_url) == (MEMBERS * ROUNDS, MEMBERS * ROUNDS)
    finally:
        await bot.stop()


async def test_a_clean_stop_writes_the_counts_still_in_memory(database_url: str) -> None:
    bot = TestBot(database_url, "it")
    await bot.start()
    try:
        members = await _burst(bot)
        assert bot.app is not None
        assert len(bot.app.services.counters) > 0  # held for the next write, not written
    finally:
        await bot.stop()
    rows = await tally(database_url, "console")
    assert rows.messages == MEMBERS * ROUNDS
    assert rows.counted == {member.id: ROUNDS for member in members}


async def _hours(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        async with db.session() as session:
            rows = await session.execute(select(ActivityHour.channel_id, ActivityHour.messages))
            return {channel: count for channel, count in rows.tuples()}
    finally:
        await db.dispose()


async def test_a_write_during_an_outage_keeps_the_counts_and_counts_nothing_twice() -> None:
    async with postgres_behind_proxy() as cut:
        await asyncio.to_thread(upgrade, cut.url)
        db = Database(cut.bot_url)
        counters = CounterBuffer(db, 1.0)
        activity = Rollups(db.dialect).activity
        hour = datetime(2026, 3, 2, 10, tzinfo=UTC)

        def key(channel: str) -> dict[str, object]:
            return {"platform": "console", "community_id": "c", "channel_id": channel, "hour": hour}

        try:
            await counters.add(activity, key("a"), messages=1)
            await counters.flush()
            for channel in ("a", "a", "b"):
                await counters.add(activity, key(channel), messages=1)
            await cut.proxy.cut()
            with pytest.raises(Exception) as failed:
                await counters.flush()
            assert unavailable(failed.value)
            await counters.add(activity, key("b"), messages=1)  # arrives meanwhile
            assert len(counters) == 2
            await cut.proxy.restore()
            await counters.flush()
            await counters.flush()  # nothing left: writes nothing
            assert await _hours(cut.url) == {"a": 3, "b": 2}
        finally:
            await db.dispose()


async def _awaiting(url: str) -> dict[str, bool]:
    db = Database(url)
    try:
        async with db.session() as session:
            rows = await session.execute(select(AwaitingPost.message_id, AwaitingPost.answered_at))
            return {message: answered is not None for message, answered in rows.tuples()}
    finally:
        await db.dispose()


async def test_posts_waiting_for_the_team_are_written_behind_and_kept_through_an_outage() -> None:
    async with postgres_behind_proxy() as cut:
        await asyncio.to_thread(upgrade, cut.url)
        db = Database(cut.bot_url)
        counters = CounterBuffer(db, 1.0)
        rollups = Rollups(db.dialect)
        at = datetime(2026, 3, 2, 10, tzinfo=UTC)
        try:
            await rollups.awaits(counters, "console", "c", "p1", at)
            assert await _awaiting(cut.url) == {}  # not one transaction a message
            await counters.flush()
            await rollups.awaits(counters, "console", "c", "p2", at)
            await cut.proxy.cut()
            with pytest.raises(Exception) as failed:
                await counters.flush()
            assert unavailable(failed.value)
            await rollups.awaits(counters, "console", "c", "p3", at)  # arrives meanwhile
            assert len(counters) == 2
            await cut.proxy.restore()
            await counters.flush()
            async with db.session() as session:
                await rollups.answered(session, "console", "c", "p2", at + timedelta(minutes=5))
            assert await _awaiting(cut.url) == {"p1": False, "p2": True, "p3": False}
        finally:
            await db.dispose()


async def test_a_team_reply_answers_a_post_still_waiting_in_memory(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "join @luca")
    await bot.say("@luca: qualcuno sa a che ora inizia il torneo")
    assert bot.app is not None
    assert len(bot.app.services.counters) > 0  # the post waits with the counts
    await bot.say("@mara reply @luca: alle nove")
    assert list((await _awaiting(bot.database_url)).values()) == [True]
