"""SQLite's writers of one process take turns instead of sleeping in SQLite's busy handler:
a burst of writers of every kind all land, a failed one gives its turn back, readers never
wait for a turn, and one stuck behind another gets "database is locked" as SQLite would."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.storage import database
from bot.storage.database import Database, busy


async def _database(db_path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    async with db.session() as session:
        await session.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"))
    return db


async def _count(db: Database) -> int:
    async with db.session() as session:
        return int((await session.execute(text("SELECT count(*) FROM note"))).scalar_one())


async def test_a_burst_of_writers_of_both_kinds_all_land(db_path: Path) -> None:
    db = await _database(db_path)

    async def hot(number: int) -> None:
        async with db.writing() as session:
            await session.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": number})

    async def plain(number: int) -> None:
        # Reads, writes, then gives the loop away inside its transaction, as a cog does.
        async with db.session() as session:
            await session.execute(text("SELECT count(*) FROM note"))
            await session.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": number})
            await asyncio.sleep(0)
            await session.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": -number})

    await asyncio.gather(*(hot(n) for n in range(60)), *(plain(n) for n in range(60)))
    assert await _count(db) == 180
    await db.dispose()


async def test_a_failed_writer_gives_its_turn_back(db_path: Path) -> None:
    db = await _database(db_path)
    with pytest.raises(RuntimeError):
        async with db.session() as session:
            await session.execute(text("INSERT INTO note (body) VALUES ('lost')"))
            raise RuntimeError("a bug after the write")
    async with db.writing() as session:
        await session.execute(text("INSERT INTO note (body) VALUES ('kept')"))
    assert await _count(db) == 1
    await db.dispose()


async def test_a_reader_does_not_wait_for_a_writer_s_turn(db_path: Path) -> None:
    db = await _database(db_path)
    wrote, finish = asyncio.Event(), asyncio.Event()

    async def slow_writer() -> None:
        async with db.session() as session:
            await session.execute(text("INSERT INTO note (body) VALUES ('slow')"))
            wrote.set()
            await finish.wait()

    writer = asyncio.create_task(slow_writer())
    await wrote.wait()
    # The writer holds its turn and has not committed: a reader sees the table as it was.
    assert await asyncio.wait_for(_count(db), 2) == 0
    finish.set()
    await writer
    assert await _count(db) == 1
    await db.dispose()


async def test_a_writer_stuck_behind_another_is_told_the_database_is_locked(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short wait instead of five seconds, so that the test does not sleep them.
    monkeypatch.setattr(database, "SQLITE_BUSY_SECONDS", 0.2)
    db = await _database(db_path)
    # Nested writers in one task: the inner one waits for the outer one, which waits for it.
    with pytest.raises(OperationalError) as raised:
        async with db.session() as outer:
            await outer.execute(text("INSERT INTO note (body) VALUES ('outer')"))
            async with db.session() as inner:
                await inner.execute(text("INSERT INTO note (body) VALUES ('inner')"))
    assert busy(raised.value)
    # Both turns were given back: the next writer goes at once.
    async with db.writing() as session:
        await session.execute(text("INSERT INTO note (body) VALUES ('after')"))
    assert await _count(db) == 1
    await db.dispose()
