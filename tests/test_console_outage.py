"""The console through a database outage, on PostgreSQL behind a proxy the test cuts.

The console keeps its own roster and message numbers in the database, so while it is away
the console itself cannot read a line (it says so and keeps its prompt); the test hands
the core what the console would deliver (a click, a command, a join, messages) and reads
what the bot printed."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from bot.adapters.console.platform import ConsoleInteraction
from bot.core.events import ButtonPressed, CommandInvoked, MemberJoined, MessagePosted
from bot.core.model import MessageRef
from tests.harness import TestBot
from tests.outage_support import OUTAGE, postgres_behind_proxy, tally

TRY_AGAIN = (
    "Il database non risponde in questo momento: riprova tra poco, non è andato perso nulla."
)


async def wait_for(bot: TestBot, text: str, within: float = 15) -> None:
    deadline = time.monotonic() + within
    while text not in bot.all_output():
        assert time.monotonic() < deadline, f"never printed: {text!r}"
        await asyncio.sleep(0.1)


async def test_the_console_through_an_outage_answers_keeps_events_and_closes_the_poll() -> None:
    async with postgres_behind_proxy() as db:
        bot = TestBot(db.bot_url, "it")
        await bot.start()
        try:
            await bot.say(
                "join @alice",
                "join @bob",
                "@alice: ciao a tutti",
                '@alice: /poll "Pizza o pasta?" "Pizza" "Pasta" duration:1m',
                "@alice click Pizza",
            )
            console, app = bot.console, bot.app
            assert console is not None and app is not None and app.dispatcher is not None
            dispatcher = app.dispatcher
            channel = await console.ensure_channel("generale")
            bob = await console.get_member("bob")
            found = await console.find_button("bob", "Pasta")
            assert bob is not None and found is not None
            card, pasta = found

            await db.proxy.cut()
            cut_at = time.monotonic()
            before = len(bot.output)
            started = time.monotonic()
            await dispatcher.button_pressed(
                ButtonPressed(
                    console.community,
                    channel,
                    bob,
                    pasta,
                    ConsoleInteraction(console, channel, bob, card),
                    card,
                )
            )
            interaction = ConsoleInteraction(console, channel, bob)
            await dispatcher.command_invoked(
                CommandInvoked(console.community, channel, bob, "poll", interaction, text="list")
            )
            assert time.monotonic() - started < 1  # at once, not after a driver's timeout
            assert bot.output[before:] == [f"[solo per @bob] {TRY_AGAIN}"] * 2

            carol = console.former_member("carol")
            await dispatcher.member_joined(MemberJoined(console.community, carol))
            for number, (author, text) in enumerate(((carol, "eccomi"), (bob, "ciao carol"))):
                ref = MessageRef("console", "console", channel.id, f"outage-{number}")
                await dispatcher.message_posted(
                    MessagePosted(console.community, channel, author, text, ref)
                )
            # The poll's deadline passes while the database is away.
            await app.scheduler.advance(timedelta(minutes=2))
            assert len(bot.output) == before + 2 and len(dispatcher.retry) > 0
            # A line typed meanwhile is refused with the same answer; the console goes on.
            assert await bot.say("join @dario") == f"? {TRY_AGAIN}"
            await asyncio.sleep(max(0.0, OUTAGE - (time.monotonic() - cut_at)))

            await db.proxy.restore()
            await asyncio.wait_for(dispatcher.retry.drained(), 15)
            await wait_for(bot, "🏁 Risultati")
            await bot.say("@bob: ciao di nuovo")
            output = bot.all_output()
            assert output.count("Benvenuto/a @carol") == 1
            assert output.count("[DM @carol]") == 1
            assert output.count("🏁 Risultati") == 1  # closed once, by the retried deadline
            await app.services.counters.flush()  # the last line's counts, written behind
            rows = await tally(db.url, "console")
            assert "carol" in rows.known
            assert rows.joins == 3 and rows.messages == 4
            assert rows.counted == {"alice": 1, "bob": 2, "carol": 1}
        finally:
            await bot.stop()
