"""The remembered cards of voted polls, written behind: the newest card lands, a card
written at once is never undone by an older one written late, and a clean stop writes
what waits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.core.cards import Message
from bot.core.edit_memory import EditMemory
from bot.core.model import MessageRef
from bot.core.serialize import message_to_json
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.models import SentMessage

REF = MessageRef("console", "console", "generale", "m1")
START = datetime(2026, 3, 2, 10, tzinfo=UTC)


async def _posted(url: str) -> Database:
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    async with db.session() as session:
        session.add(
            SentMessage(
                platform=REF.platform,
                community_id=REF.community_id,
                channel_id=REF.channel_id,
                message_id=REF.message_id,
                content=message_to_json(Message(text="0 votes")),
                text="0 votes",
                created_at=START,
            )
        )
    return db


async def _shown(db: Database) -> str:
    async with db.session() as session:
        return str(await session.scalar(select(SentMessage.text)))


async def test_a_burst_of_cards_writes_the_newest_once(database_url: str) -> None:
    db = await _posted(database_url)
    memory = EditMemory(db, every=60)
    try:
        for votes in range(1, 6):
            async with db.session() as session:
                at = START + timedelta(seconds=votes)
                await memory.later(REF, Message(text=f"{votes} votes"), at, session=session)
        assert await _shown(db) == "0 votes"  # nothing written per press
        assert len(memory) == 1
        await memory.flush()
        assert await _shown(db) == "5 votes"
        assert len(memory) == 0
    finally:
        await db.dispose()


async def test_a_card_written_at_once_is_not_undone_by_an_older_one(database_url: str) -> None:
    db = await _posted(database_url)
    memory, elsewhere = EditMemory(db, every=60), EditMemory(db, every=60)
    try:
        async with db.session() as session:
            await memory.later(REF, Message(text="7 votes"), START, session=session)
        # Another process closes the poll a moment later, then this one writes its card.
        await elsewhere.write(REF, Message(text="closed"), START + timedelta(seconds=1))
        await memory.flush()
        assert await _shown(db) == "closed"
        # In this process, a card written at once drops the older one that waits.
        async with db.session() as session:
            await memory.later(REF, Message(text="8 votes"), START, session=session)
        await memory.write(REF, Message(text="closed again"), START + timedelta(seconds=2))
        assert len(memory) == 0
        # And at the very same instant, the card written at once wins.
        async with db.session() as session:
            at = START + timedelta(seconds=2)
            await memory.later(REF, Message(text="9 votes"), at, session=session)
        await memory.flush()
        assert await _shown(db) == "closed again"
    finally:
        await db.dispose()


async def test_a_clean_stop_writes_what_waits_and_zero_writes_at_once(database_url: str) -> None:
    db = await _posted(database_url)
    try:
        memory = EditMemory(db, every=60)
        memory.start()
        async with db.session() as session:
            await memory.later(REF, Message(text="3 votes"), START, session=session)
        await memory.stop()
        assert await _shown(db) == "3 votes"
        at_once = EditMemory(db, every=0)
        async with db.session() as session:
            later = START + timedelta(minutes=1)
            await at_once.later(REF, Message(text="4 votes"), later, session=session)
        assert len(at_once) == 0
        assert await _shown(db) == "4 votes"
    finally:
        await db.dispose()
