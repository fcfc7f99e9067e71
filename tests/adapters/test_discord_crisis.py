"""The crisis alert over the Discord emulator: a burst of complaints reaches the staff
channel mentioning the staff role, so that it notifies; the alert is then edited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.cards import Message
from bot.core.model import Role
from tests.adapters.discord_support import (
    DiscordRun,
    bot_messages,
    discord_emulator,
    only_cogs,
    settle,
)
from tests.crisis_support import COMPLAINTS
from tests.emulators.discord_emulator import DiscordEmulator

ALERT = "🚨 URGENTE: picco di lamentele"


async def until_text(emu: DiscordEmulator, channel: str, text: str, limit: float = 15) -> None:
    """The bot reads messages at its own pace, with no call to show for it: wait for `text`."""
    deadline = asyncio.get_running_loop().time() + limit
    while asyncio.get_running_loop().time() < deadline:
        if any(text in str(m.get("embeds")) for m in bot_messages(emu, channel)):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no {text!r} in #{channel}")


@pytest.fixture
async def crisis_run(tmp_path: Path) -> AsyncIterator[DiscordRun]:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("crisis"))
        await run.start()
        try:
            yield run
        finally:
            await run.stop()


async def test_an_alert_reaches_staff_with_the_role_mention(crisis_run: DiscordRun) -> None:
    emu = crisis_run.emu
    assert crisis_run.platform is not None
    staff_role = emu.role_id("Staff")
    mention = await crisis_run.platform.role_mention(emu.guild_id, Role.STAFF)
    assert mention == f"<@&{staff_role}>"
    assert await crisis_run.platform.role_mention(emu.guild_id, Role.MEMBER) is None
    members = [emu.add_user(f"m{number}") for number in range(6)]
    await settle(emu)
    for number in range(5):  # five members complaining at once: the default minimum
        await emu.post_message(members[number % 6], "general", COMPLAINTS["it"][number])
    await until_text(emu, "staff", "5 lamentele")
    alerts = bot_messages(emu, "staff")
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["content"].startswith(f"<@&{staff_role}> {ALERT}")
    assert alert["mention_roles"] == [staff_role]  # it notifies the staff role
    assert "5 lamentele" in alert["embeds"][0]["description"]
    for number in range(4):
        await emu.post_message(members[number], "general", COMPLAINTS["it"][number + 1])
    await asyncio.sleep(1)  # the bot reads them
    await crisis_run.advance(timedelta(minutes=1))
    await until_text(emu, "staff", "9 lamentele")
    alerts = bot_messages(emu, "staff")
    assert len(alerts) == 1, "edited, not posted again"
    assert "9 lamentele" in alerts[0]["embeds"][0]["description"]


async def test_a_member_naming_the_staff_role_pings_nobody(crisis_run: DiscordRun) -> None:
    """Only the roles Ponte itself mentions may notify: the rest of its messages stay silent."""
    emu = crisis_run.emu
    assert crisis_run.platform is not None
    staff_role = emu.role_id("Staff")
    await crisis_run.platform.role_mention(emu.guild_id, Role.STAFF)
    ref = await crisis_run.platform.send(
        emu.guild_id, emu.channel_id("general"), Message(text="ciao <@&999> e <@&1>")
    )
    await settle(emu)
    sent = next(m for m in bot_messages(emu, "general") if m["id"] == ref.message_id)
    assert sent["mention_roles"] == []
    assert staff_role not in sent["content"]
