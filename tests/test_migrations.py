"""Alembic upgrades an empty database to head, and the schema matches the models."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.loader import import_cog_models
from bot.storage.base import Base
from bot.storage.migrate import code_heads, current_head, upgrade
from bot.storage.schema import CODE_HEADS
from tests.postgres import fresh_postgres


def _differences(connection: Connection) -> list[object]:
    import_cog_models()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def _upgrade_and_compare(url: str) -> tuple[list[object], str | None]:
    await asyncio.to_thread(upgrade, url)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
            version = (
                await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            ).scalar()
    finally:
        await engine.dispose()
    return differences, version


async def test_sqlite_upgrades_to_head_matching_the_models(tmp_path: Path) -> None:
    differences, version = await _upgrade_and_compare(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    assert differences == []
    assert version == current_head()


async def test_postgres_upgrades_to_head_matching_the_models() -> None:
    async with fresh_postgres() as url:
        differences, version = await _upgrade_and_compare(url)
    assert differences == []
    assert version == current_head()


def test_the_heads_a_start_checks_are_the_migrations_own() -> None:
    # A start on a current schema compares the version row with CODE_HEADS, not Alembic.
    assert code_heads() == CODE_HEADS


async def test_a_start_on_a_current_schema_loads_no_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'current.db'}"
    await asyncio.to_thread(upgrade, url)
    script = (
        "import asyncio, sys\n"
        "from sqlalchemy.ext.asyncio import create_async_engine\n"
        "from bot.storage.schema import is_current\n"
        f"engine = create_async_engine({url!r})\n"
        "print(asyncio.run(is_current(engine)), 'alembic' in sys.modules)\n"
    )
    found = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["True", "False"]


async def test_upgrade_twice_is_harmless(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'twice.db'}"
    await asyncio.to_thread(upgrade, url)
    differences, _ = await _upgrade_and_compare(url)
    assert differences == []
