"""A burst of events past what the process can handle at once: the events beyond the bound
wait their turn in the order they came, each handled once, while commands are answered."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.console.platform import ConsoleInteraction, ConsolePlatform
from bot.app import App
from bot.config import Settings
from bot.core import dispatcher as dispatching
from bot.core.clock import AdjustableClock
from bot.core.cog import Cog
from bot.core.dispatcher import Dispatcher
from bot.core.events import CommandInvoked, MessagePosted
from bot.core.model import MessageRef, Role
from bot.core.services import Services

AT_ONCE = 4


class Slow(Cog):
    """Holds every message until told to go on, counting how many it holds at once."""

    name = "slow"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.go_on = asyncio.Event()
        self.holding = 0
        self.most_held = 0
        self.seen: list[str] = []

    async def on_message_posted(self, event: MessagePosted) -> None:
        self.seen.append(event.text)
        self.holding += 1
        self.most_held = max(self.most_held, self.holding)
        await self.go_on.wait()
        self.holding -= 1


async def test_a_burst_waits_its_turn_in_order_and_commands_are_still_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatching, "LISTENING_AT_ONCE", AT_ONCE)
    output: list[str] = []
    settings = Settings(  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'd.db'}",
        default_language="en",
        _env_file=None,
    )
    clock = AdjustableClock()
    app = App(settings, clock=clock)
    platform = ConsolePlatform(app.db, clock, app.translator, output.append, "en")
    app.add_platform(platform)
    await app.start()
    try:
        slow = Slow(app.services)
        dispatcher = Dispatcher(app.services, [slow])
        member = await platform.add_member("zed", frozenset({Role.MEMBER}))
        channel = await platform.ensure_channel("general")

        def posted(number: int) -> MessagePosted:
            ref = MessageRef("console", platform.community.id, channel.id, str(number))
            return MessagePosted(platform.community, channel, member, f"message {number}", ref)

        burst = [asyncio.create_task(dispatcher.message_posted(posted(n))) for n in range(10)]
        # Long enough for every event to reach the cog if nothing held them back.
        await asyncio.sleep(0.3)
        assert slow.holding == AT_ONCE  # the others wait, none is dropped

        interaction = ConsoleInteraction(platform, channel, member)
        await asyncio.wait_for(
            dispatcher.command_invoked(
                CommandInvoked(platform.community, channel, member, "nope", interaction, text="")
            ),
            timeout=5,
        )
        assert output[-1] == "[only for @zed] There is no /nope command."

        slow.go_on.set()
        await asyncio.wait_for(asyncio.gather(*burst), timeout=5)
        assert slow.seen == [f"message {n}" for n in range(10)]
        assert slow.most_held == AT_ONCE
    finally:
        await app.stop()
