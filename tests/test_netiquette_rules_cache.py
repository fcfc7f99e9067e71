"""A community's rules are read once for every message in flight when the cached Checker
goes stale, and a change made meanwhile is never hidden by the read it overtook."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.netiquette.engine import CheckerConfig, MessageContext, RuleKind, Severity
from cogs.netiquette.rules import RuleStore

COMMUNITY = Community("console", "console", "Ponte")


async def test_messages_in_flight_share_one_read_of_stale_rules(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    db = Database(database_url)
    try:
        store = RuleStore(db, refresh_seconds=0)  # every call finds the cache stale
        reads = 0
        real = store.config

        async def counted(community: Community) -> CheckerConfig:
            nonlocal reads
            reads += 1
            return await real(community)

        store.config = counted  # type: ignore[method-assign]
        checkers = await asyncio.gather(*(store.checker(COMMUNITY) for _ in range(50)))
        assert reads == 1 and len({id(checker) for checker in checkers}) == 1
        again = await store.checker(COMMUNITY)  # stale again: read, same rules, same Checker
        assert reads == 2 and again is checkers[0]
    finally:
        await db.dispose()


async def test_a_change_during_a_read_is_read_again(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    db = Database(database_url)
    try:
        store = RuleStore(db)
        reading, go_on = asyncio.Event(), asyncio.Event()
        reads = 0
        real = store.config

        async def held(community: Community) -> CheckerConfig:
            nonlocal reads
            reads += 1
            config = await real(community)  # read before the change below
            reading.set()
            await go_on.wait()
            return config

        store.config = held  # type: ignore[method-assign]
        first = asyncio.ensure_future(store.checker(COMMUNITY))
        await reading.wait()
        store.forget(COMMUNITY)  # a rule changed here meanwhile
        go_on.set()
        await first
        await store.checker(COMMUNITY)
        assert reads == 2  # the overtaken read was not kept as fresh
        await store.checker(COMMUNITY)
        assert reads == 2  # the second one was
    finally:
        await db.dispose()


async def test_a_rule_added_during_a_flood_still_catches_the_flooder(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    db = Database(database_url)
    try:
        store = RuleStore(db)
        start = datetime(2026, 1, 1, 12, tzinfo=UTC)
        checker = await store.checker(COMMUNITY)
        for second in range(5):  # the default limit: 6 messages in 10 seconds
            posted = MessageContext("console:console:flooder", start + timedelta(seconds=second))
            assert checker.check(f"message number {second}", posted) is None
        # Adding a rule rebuilds the Checker by itself.
        await store.add(COMMUNITY, RuleKind.WORD, "banana", Severity.HOLD, "mod", start)
        rebuilt = await store.checker(COMMUNITY)
        assert rebuilt is not checker
        posted = MessageContext("console:console:flooder", start + timedelta(seconds=5))
        verdict = rebuilt.check("one more", posted)
        assert verdict is not None and verdict.rule == "flood"
        banana = rebuilt.check("una banana", MessageContext("console:console:other", start))
        assert banana is not None and banana.rule.startswith("custom.")
    finally:
        await db.dispose()
