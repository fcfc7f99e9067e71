"""Slack through a database outage: Ponte on PostgreSQL behind a proxy the test cuts for
10 s. Slack has its acknowledgement and never sends these events again, so a join and a
message that arrive meanwhile are kept and handled once the database is back, once."""

from __future__ import annotations

import asyncio

from tests.adapters.slack_support import SlackRun, bot_posts, new_emulator
from tests.outage_support import OUTAGE, postgres_behind_proxy, tally


def greeted(posts: list[dict[str, object]], user: str) -> int:
    return sum(f"<@{user}>" in str(post.get("text", "")) for post in posts)


async def test_a_join_and_a_message_during_an_outage_are_handled_once_it_is_back() -> None:
    emu = new_emulator()
    await emu.start()
    async with postgres_behind_proxy() as db:
        run = SlackRun(emu, "socket", db.bot_url)
        await run.start()
        try:
            alice = await emu.member_join("alice")
            await emu.post_message(alice, "general", "ciao a tutti")
            await run.settle()
            assert greeted(bot_posts(emu, "general"), alice) == 1

            await db.proxy.cut()
            bob = await emu.member_join("bob")
            await emu.post_message(bob, "general", "ciao, sono nuovo")
            await run.settle()
            retry = run.app.dispatcher.retry if run.app and run.app.dispatcher else None
            assert retry is not None and len(retry) > 0 and retry.dropped == 0
            assert greeted(bot_posts(emu, "general"), bob) == 0  # nothing done yet
            await asyncio.sleep(OUTAGE)

            await db.proxy.restore()
            await asyncio.wait_for(retry.drained(), 15)
            await run.settle()
            posts = bot_posts(emu, "general")
            assert [greeted(posts, user) for user in (alice, bob)] == [1, 1]
            rows = await tally(db.url, "slack")
            assert rows.joins == 2 and rows.messages == 2
            assert rows.counted == {alice: 1, bob: 1}
        finally:
            await run.stop()
            await emu.stop()
