"""Whether the database is on the schema this code was written for, read without Alembic.

Every start checks the schema; all but the first after an upgrade find it current. Reading
the version row directly keeps Alembic, its templates and the migration scripts (about
12 MiB that would stay for the life of the process) out of those starts; Alembic is loaded
only to migrate or to explain a mismatch (migrate.py).
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import StartupError

# The heads this code's migrations end at; tests/test_migrations.py holds it to the scripts,
# so a new migration that forgets it fails there, not in a deployment.
CODE_HEADS = frozenset({"0013_review_applied"})
VERSION_TABLE = "alembic_version"


class SchemaMismatch(StartupError):
    """The database's schema is not the one this code was written for."""


async def database_heads(engine: AsyncEngine) -> frozenset[str]:
    """The revisions the database is at; empty when it was never migrated."""
    async with engine.connect() as connection:
        if not await connection.run_sync(lambda sync: inspect(sync).has_table(VERSION_TABLE)):
            return frozenset()
        rows = await connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return frozenset(str(row[0]) for row in rows)


async def is_current(engine: AsyncEngine) -> bool:
    return await database_heads(engine) == CODE_HEADS
