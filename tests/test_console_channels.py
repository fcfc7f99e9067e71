"""The console's channels exist on first use, once, even when many lines name a new
channel at the same moment (on SQLite and, in the PostgreSQL pass, on PostgreSQL)."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.storage.models import KnownChannel
from tests.harness import TestBot


async def test_a_new_channel_named_by_many_at_once_is_made_once(bot: TestBot) -> None:
    console, app = bot.console, bot.app
    assert console is not None and app is not None
    channels = await asyncio.gather(*(console.ensure_channel("#Aiuto") for _ in range(20)))
    assert {channel.id for channel in channels} == {"aiuto"}
    said = await bot.say("join @alice", "@alice in #aiuto: ciao a tutti")
    assert "Benvenuto/a @alice" in said and "?" not in said.splitlines()[-1]
    async with app.db.session() as session:
        rows = (
            await session.scalars(
                select(KnownChannel.channel_id).where(KnownChannel.channel_id == "aiuto")
            )
        ).all()
    assert rows == ["aiuto"]
