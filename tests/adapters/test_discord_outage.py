"""Discord through a database outage: Ponte on PostgreSQL behind a proxy the test cuts for
10 s. Clicks and commands meanwhile get a quick "try again"; joins and messages are kept
and handled once the database is back, each exactly once."""

from __future__ import annotations

import asyncio
import time

from tests.adapters.discord_support import (
    EPHEMERAL,
    DiscordRun,
    bot_messages,
    buttons,
    counts,
    discord_emulator,
    private_answers,
    settle,
)
from tests.emulators.discord_emulator import DiscordEmulator, InteractionRecord
from tests.outage_support import OUTAGE, postgres_behind_proxy, tally

POLL = {"question": "Pizza o pasta?", "option1": "Pizza", "option2": "Pasta", "duration": "1h"}
TRY_AGAIN = (
    "Il database non risponde in questo momento: riprova tra poco, non è andato perso nulla."
)


async def quick_private_answer(emu: DiscordEmulator, record: InteractionRecord) -> str:
    """The interaction's own answer: in time for Discord without a "thinking…", private."""
    callback = await emu.wait_for_callback(record, timeout=2)
    assert time.monotonic() - record.created_at < 2
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    return str(callback["data"]["content"])


def greeted(emu: DiscordEmulator, user: str) -> int:
    return sum(f"<@{user}>" in message["content"] for message in bot_messages(emu, "general"))


async def test_an_outage_loses_no_join_or_message_and_does_nothing_twice() -> None:
    async with postgres_behind_proxy() as db, discord_emulator() as emu:
        run = DiscordRun(emu, db.bot_url)
        await run.start()
        try:
            alice = await emu.member_join("alice")
            await emu.wait_for_dm(alice)
            record = await emu.slash_command(
                alice, "general", "poll", subcommand="create", options=POLL
            )
            await emu.wait_for_callback(record)
            poll = record.response_message_id or ""
            await emu.post_message(alice, "general", "ciao a tutti")
            await settle(emu)

            await db.proxy.cut()
            cut_at = time.monotonic()
            bob = await emu.member_join("bob")
            await emu.post_message(bob, "general", "ciao, sono nuovo")
            await emu.post_message(alice, "general", "benvenuto bob")
            pizza = buttons(emu.get_message(poll))[0]["custom_id"]
            click = await emu.press_button(bob, poll, pizza)
            assert await quick_private_answer(emu, click) == TRY_AGAIN
            listing = await emu.slash_command(alice, "general", "poll", subcommand="list")
            assert await quick_private_answer(emu, listing) == TRY_AGAIN
            await asyncio.sleep(OUTAGE / 2)
            carol = await emu.member_join("carol")
            await emu.post_message(carol, "general", "eccomi")
            await settle(emu, quiet=0.5)
            assert run.dispatcher.retry.dropped == 0 and len(run.dispatcher.retry) > 0
            assert greeted(emu, bob) == greeted(emu, carol) == 0  # nothing done yet…
            assert run.app is not None and emu.identify_count == 1  # …and nothing crashed
            await asyncio.sleep(max(0.0, OUTAGE - (time.monotonic() - cut_at)))

            await db.proxy.restore()
            await asyncio.wait_for(run.dispatcher.retry.drained(), 15)
            await settle(emu, quiet=0.5)
            assert [greeted(emu, user) for user in (alice, bob, carol)] == [1, 1, 1]
            assert [len(emu.dm_messages_for(user)) for user in (alice, bob, carol)] == [1, 1, 1]
            rows = await tally(db.url, "discord")
            assert set(rows.known) >= {alice, bob, carol}
            assert rows.joins == 3 and rows.messages == 4
            assert rows.counted == {alice: 2, bob: 1, carol: 1}
            assert counts(emu.get_message(poll)) == [0, 0]  # the refused click changed nothing

            again = await emu.press_button(bob, poll, pizza)
            await emu.wait_for_callback(again)
            await emu.wait_until(lambda: private_answers(emu, again), what="an answer")
            await settle(emu)
            assert private_answers(emu, again) == ["Voto registrato: Pizza."]
            assert counts(emu.get_message(poll)) == [1, 0]
        finally:
            await run.stop()
