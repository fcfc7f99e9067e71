"""A process runs only on the schema its code was written for: `python -m bot migrate`
brings a database up once, and a process that may not migrate stops (exit 2) on an older,
newer or never-migrated schema, naming both revisions and the command to run."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App
from bot.config import Settings
from bot.storage.migrate import SchemaMismatch, current_head, upgrade
from tests.blackbox import bot_environment
from tests.postgres import fresh_postgres

ROOT = Path(__file__).resolve().parents[1]
OLDER = "0007_poll_results"  # an earlier revision on the one history
SCRIPT = "alice: /help\n"


def ponte(
    *args: str, database: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=bot_environment(database, **env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def revision_of(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def script(tmp_path: Path) -> str:
    path = tmp_path / "script.txt"
    path.write_text(SCRIPT, encoding="utf-8")
    return str(path)


def console(database: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return ponte("console", "--script", script(tmp_path), database=database, **env)


def test_an_older_schema_stops_a_process_that_may_not_migrate(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    upgrade(f"sqlite+aiosqlite:///{database}", OLDER)
    for command in (("run",), ("console", "--script", script(tmp_path))):
        result = ponte(*command, database=database, AUTO_MIGRATE="false")
        assert result.returncode == 2, result.stderr
        assert "older than this code" in result.stderr
        assert OLDER in result.stderr and str(current_head()) in result.stderr
        assert "python -m bot migrate" in result.stderr
        assert "Traceback" not in result.stderr
    assert revision_of(database) == OLDER  # nothing was changed behind the operator's back

    migrated = ponte("migrate", database=database)
    assert migrated.returncode == 0, migrated.stderr
    assert revision_of(database) == current_head()
    started = console(database, tmp_path, AUTO_MIGRATE="false")
    assert started.returncode == 0, started.stderr
    assert "/poll" in started.stdout  # the help answered: the bot ran


def test_a_single_process_still_migrates_itself_by_default(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    never = console(database, tmp_path, AUTO_MIGRATE="false")
    assert never.returncode == 2 and "never migrated" in never.stderr
    started = console(database, tmp_path)
    assert started.returncode == 0, started.stderr
    assert "/poll" in started.stdout
    assert revision_of(database) == current_head()


def test_a_schema_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "newer.db"
    upgrade(f"sqlite+aiosqlite:///{database}")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    for command in (("migrate",), ("console", "--script", script(tmp_path))):
        # Even where the process may migrate, it cannot go back: it stops and says so.
        result = ponte(*command, database=database)
        assert result.returncode == 2, result.stderr
        assert "newer than this code or unknown" in result.stderr
        assert "0099_from_the_future" in result.stderr and str(current_head()) in result.stderr
        assert "Traceback" not in result.stderr
    assert revision_of(database) == "0099_from_the_future"


async def _revision(url: str) -> str:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return str(found.scalar_one())
    finally:
        await engine.dispose()


async def test_postgres_an_older_schema_stops_the_app_and_migrate_brings_it_up() -> None:
    async with fresh_postgres() as url:
        await asyncio.to_thread(upgrade, url, OLDER)
        settings = Settings(database_url=url, auto_migrate=False, _env_file=None)  # type: ignore[call-arg]
        app = App(settings)
        with pytest.raises(SchemaMismatch, match="python -m bot migrate") as stopped:
            await app.start()
        await app.stop()
        assert OLDER in str(stopped.value) and str(current_head()) in str(stopped.value)
        assert await _revision(url) == OLDER

        app = App(settings.model_copy(update={"auto_migrate": True}))
        try:
            await app.start()
            assert app.report.loaded
        finally:
            await app.stop()
        assert await _revision(url) == current_head()
