"""Hot statements run in one trip to the driver: their rows read as SQLAlchemy reads them,
their driver's errors raised as SQLAlchemy's, and their writes inside the session's
transaction, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.database import Database
from bot.storage.migrate import upgrade
from bot.storage.prepared import Prepared
from cogs.polls.models import Poll, PollVote

CREATED = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
VOTE = Prepared(
    insert(PollVote),
    keys=("poll_id", "position", "member_id", "member_name", "voted_at"),
)
OPENED = Prepared(
    update(Poll)
    .where(Poll.id == bindparam("poll_id"))
    .values(question=bindparam("question"))
    .returning(Poll.id, Poll.anonymous, Poll.created_at, Poll.question)
)


async def _database(url: str) -> tuple[Database, int]:
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    async with db.session() as session:
        poll = Poll(
            platform="console",
            community_id="console",
            channel_id="generale",
            author_id="mara",
            author_name="Mara",
            question="Pizza?",
            anonymous=True,
            created_at=CREATED,
        )
        session.add(poll)
        await session.flush()
        return db, poll.id


def _vote(poll_id: int, member: str) -> dict[str, object]:
    return {
        "poll_id": poll_id,
        "position": 0,
        "member_id": member,
        "member_name": member.title(),
        "voted_at": CREATED,
    }


async def test_rows_come_back_typed_and_by_name(database_url: str) -> None:
    db, poll_id = await _database(database_url)
    try:
        async with db.session() as session:
            rows = await OPENED.rows(session, {"poll_id": poll_id, "question": "Pasta?"})
        [row] = rows
        assert (row.id, row.anonymous, row.question) == (poll_id, True, "Pasta?")
        assert row.created_at == CREATED and row.created_at.tzinfo is not None
        async with db.session() as session:
            assert await OPENED.rows(session, {"poll_id": poll_id + 1, "question": "x"}) == []
    finally:
        await db.dispose()


async def test_a_write_belongs_to_the_session_transaction(database_url: str) -> None:
    db, poll_id = await _database(database_url)
    try:
        with pytest.raises(RuntimeError):
            async with db.session() as session:
                await VOTE.rows(session, _vote(poll_id, "luca"))
                raise RuntimeError("the rest of the change failed")
        async with db.session() as session:
            await VOTE.rows(session, _vote(poll_id, "sara"))
        async with db.session() as session:
            voters = (await session.scalars(select(PollVote.member_id))).all()
        assert voters == ["sara"]
    finally:
        await db.dispose()


async def test_a_broken_constraint_is_sqlalchemy_integrity_error(database_url: str) -> None:
    db, poll_id = await _database(database_url)
    try:
        async with db.session() as session:
            await VOTE.rows(session, _vote(poll_id, "luca"))
        with pytest.raises(IntegrityError):
            async with db.session() as session:
                await VOTE.rows(session, _vote(poll_id, "luca"))
        async with db.session() as session:
            assert await session.scalar(select(func.count()).select_from(PollVote)) == 1
    finally:
        await db.dispose()


def test_an_expanding_parameter_is_refused() -> None:
    statement = select(PollVote.id).where(
        PollVote.member_id.in_(bindparam("members", expanding=True))
    )
    db = Database("sqlite+aiosqlite://")
    with pytest.raises(ValueError, match="expanding"):
        Prepared(statement).compile_for(db.engine.dialect)
