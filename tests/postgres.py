"""A throwaway PostgreSQL database for one test, on the server named by PONTE_TEST_POSTGRES.

A run of the suite on PostgreSQL (`PONTE_TEST_DATABASE=postgresql`) migrates one template
database once and gives every test a copy of it, which PostgreSQL makes in milliseconds,
instead of running every migration again for each test.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import asyncpg

from bot.storage.migrate import upgrade

SERVER = os.environ.get("PONTE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
# Set by the suite's PostgreSQL pass: the tests written for any database run on this one.
SUITE_DATABASE = os.environ.get("PONTE_TEST_DATABASE", "sqlite")


def on_postgres() -> bool:
    return SUITE_DATABASE == "postgresql"


def _url(name: str) -> str:
    base = SERVER.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"


async def _admin(statement: str) -> None:
    admin = await asyncpg.connect(SERVER)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_postgres(template: str | None = None) -> AsyncIterator[str]:
    """Yield the SQLAlchemy URL of a new database, empty or a copy of `template`; drop it
    afterwards."""
    name = f"ponte_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    await _admin(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield _url(name)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def migrated_template() -> Iterator[str]:
    """The name of a database with every migration applied, for `fresh_postgres` to copy."""
    name = f"ponte_template_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        upgrade(_url(name))
        yield name
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
