"""The core's answers to bad input: unknown commands and buttons, broken cogs; and a burst
of events past what it handles at once, which waits its turn while commands are answered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.console.platform import ConsoleInteraction, ConsolePlatform
from bot.app import App
from bot.config import Settings
from bot.core import dispatcher as dispatching
from bot.core.clock import AdjustableClock
from bot.core.cog import Cog
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.dispatcher import Dispatcher
from bot.core.events import ButtonPressed, CommandInvoked, MessagePosted
from bot.core.model import MessageRef, Role
from bot.core.services import Services
from tests.harness import TestBot


class Broken(Cog):
    name = "broken"

    def commands(self) -> list[Command]:
        return [Command("boom", "polls.cmd", handler=self.boom)]

    async def boom(self, ctx: Context, args: Arguments) -> None:
        raise RuntimeError("a bug in a cog")


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[tuple[Dispatcher, ConsolePlatform, list[str]]]:
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
    dispatcher = Dispatcher(app.services, [*app.report.loaded, Broken(app.services)])
    try:
        yield dispatcher, platform, output
    finally:
        await app.stop()


async def press(console: tuple[Dispatcher, ConsolePlatform, list[str]], custom_id: str) -> str:
    dispatcher, platform, output = console
    member = await platform.add_member("zed", frozenset({Role.MEMBER}))
    channel = await platform.ensure_channel("general")
    before = len(output)
    await dispatcher.button_pressed(
        ButtonPressed(
            platform.community,
            channel,
            member,
            custom_id,
            ConsoleInteraction(platform, channel, member),
        )
    )
    return "\n".join(output[before:])


@pytest.mark.parametrize(
    "custom_id", ["", "nonsense", "nobody:knows", "polls:vote:abc", "polls:dance:1"]
)
async def test_unknown_buttons_get_a_clear_private_answer(
    console: tuple[Dispatcher, ConsolePlatform, list[str]], custom_id: str
) -> None:
    said = await press(console, custom_id)
    assert said == "[only for @zed] This button is no longer valid."


async def test_a_button_of_a_deleted_poll_says_so(
    console: tuple[Dispatcher, ConsolePlatform, list[str]],
) -> None:
    assert await press(console, "polls:vote:999:0") == "[only for @zed] There is no poll #999."


async def test_a_bug_in_a_cog_answers_politely_and_the_bot_goes_on(
    console: tuple[Dispatcher, ConsolePlatform, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher, platform, output = console
    member = await platform.add_member("zed", frozenset({Role.MEMBER}))
    channel = await platform.ensure_channel("general")
    interaction = ConsoleInteraction(platform, channel, member)
    await dispatcher.command_invoked(
        CommandInvoked(platform.community, channel, member, "boom", interaction, text="")
    )
    assert (
        output[-1] == "[only for @zed] Something went wrong. It has been logged for the staff; "
        "try again shortly."
    )
    assert "a bug in a cog" in caplog.text
    await dispatcher.command_invoked(
        CommandInvoked(platform.community, channel, member, "nope", interaction, text="")
    )
    assert output[-1] == "[only for @zed] There is no /nope command."
    await dispatcher.command_invoked(
        CommandInvoked(platform.community, channel, member, "poll", interaction, text="list")
    )
    assert "No open polls." in output[-1]


async def test_typing_a_subcommand_that_does_not_exist_creates_a_poll_question_instead(
    bot: TestBot,
) -> None:
    # `/poll dance` is read as the default subcommand: a question with no options.
    await bot.say("join @alice")
    said = await bot.say("@alice: /poll dance")
    assert "Manca «option1», che è obbligatorio." in said


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
    console: tuple[Dispatcher, ConsolePlatform, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    at_once = 4
    monkeypatch.setattr(dispatching, "LISTENING_AT_ONCE", at_once)
    services, platform, output = console[0].services, console[1], console[2]
    slow = Slow(services)
    dispatcher = Dispatcher(services, [slow])
    member = await platform.add_member("zed", frozenset({Role.MEMBER}))
    channel = await platform.ensure_channel("general")

    def posted(number: int) -> MessagePosted:
        ref = MessageRef("console", platform.community.id, channel.id, str(number))
        return MessagePosted(platform.community, channel, member, f"message {number}", ref)

    burst = [asyncio.create_task(dispatcher.message_posted(posted(n))) for n in range(10)]
    # Long enough for every event to reach the cog if nothing held them back.
    await asyncio.sleep(0.3)
    assert slow.holding == at_once  # the others wait, none is dropped

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
    assert slow.most_held == at_once
