"""An announcement scheduled with a slash command on Discord is posted when its time comes,
once, and a live session's Remind me reaches the member by DM. Real discord.py, emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.adapters.discord_support import (
    DiscordRun,
    buttons,
    discord_emulator,
    only_cogs,
    private_answers,
    settle,
)
from tests.calendar_support import YEAR, rome


@asynccontextmanager
async def ponte(tmp_path: Path) -> AsyncIterator[DiscordRun]:
    async with discord_emulator() as emu:
        emu.add_channel("news")
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("calendar"))
        await run.start()
        try:
            yield run
        finally:
            await run.stop()


async def advance_to(run: DiscordRun, moment: str) -> None:
    assert run.app is not None
    await run.advance(rome(moment) - run.app.clock.now())


def texts(run: DiscordRun, channel: str) -> list[str]:
    return [str(m.get("content") or "") for m in run.emu.messages[run.emu.channel_id(channel)]]


async def test_a_scheduled_announcement_is_posted_on_time_once(tmp_path: Path) -> None:
    async with ponte(tmp_path) as run:
        emu = run.emu
        sara = emu.add_user("sara", roles=["Staff"])
        record = await emu.slash_command(
            sara,
            "general",
            "announce",
            subcommand="schedule",
            options={
                "channel": emu.channel_id("news"),
                "at": f"{YEAR}-01-11 10:00",
                "text": "Buongiorno community!",
                "repeat": "ogni lunedì",
            },
        )
        await emu.wait_for_callback(record)
        await settle(emu)
        assert any("Annuncio #1 programmato" in text for text in private_answers(emu, record))
        await advance_to(run, f"{YEAR}-01-11 09:59")
        assert "Buongiorno community!" not in texts(run, "news")
        await run.advance(rome(f"{YEAR}-01-11 10:01") - rome(f"{YEAR}-01-11 09:59"))
        assert texts(run, "news").count("Buongiorno community!") == 1
        await run.restart()
        await settle(emu)
        await advance_to(run, f"{YEAR}-01-18 10:01")
        assert texts(run, "news").count("Buongiorno community!") == 2


async def test_remind_me_on_a_live_session_sends_a_dm(tmp_path: Path) -> None:
    async with ponte(tmp_path) as run:
        emu = run.emu
        sara = emu.add_user("sara", roles=["Staff"])
        anna = emu.add_user("anna")
        record = await emu.slash_command(
            sara,
            "general",
            "announce",
            subcommand="live",
            options={
                "title": "AMA",
                "at": f"{YEAR}-01-20 18:00",
                "channel": emu.channel_id("news"),
            },
        )
        await emu.wait_for_callback(record)
        await settle(emu)
        card = next(m for m in emu.messages[emu.channel_id("news")] if m.get("embeds"))
        button = next(b for b in buttons(card) if b["label"] == "Ricordamelo")
        press = await emu.press_button(anna, card["id"], button["custom_id"])
        await emu.wait_for_callback(press)
        await settle(emu)
        assert any("Ti scriverò in privato" in text for text in private_answers(emu, press))
        await advance_to(run, f"{YEAR}-01-20 17:46")
        dms = [str(m.get("content") or "") for m in emu.dm_messages_for(anna)]
        assert sum("Tra poco: «AMA»" in text for text in dms) == 1
