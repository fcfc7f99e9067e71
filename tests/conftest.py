from __future__ import annotations

import inspect
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from cogs.netiquette import pattern_set
from tests.harness import TestBot
from tests.postgres import fresh_postgres, migrated_template, on_postgres


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL pass runs the tests written for any database (those that take the
    `database_url` fixture, not the SQLite file itself); the rest name their database
    themselves and ran already."""
    if not on_postgres():
        return
    kept = [item for item in items if _any_database(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


def _any_database(item: pytest.Item) -> bool:
    if "database_url" not in getattr(item, "fixturenames", ()):
        return False
    function = getattr(item, "function", None)
    return function is None or "db_path" not in inspect.signature(function).parameters


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's own cache folder (the encoder's token table, the netiquette's compiled
    lists), for every bot it starts, in this process and in the processes it runs: never
    the home folder's."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["CACHE_DIR"] = str(folder)
    # The netiquette's compiled lists too, for the Checkers the tests make themselves.
    pattern_set.keep_in(folder)
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ponte.db"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    if not on_postgres():
        yield None
        return
    with migrated_template() as name:
        yield name


@pytest.fixture
async def database_url(db_path: Path, postgres_template: str | None) -> AsyncIterator[str]:
    """The test's own database: a SQLite file, or a fresh PostgreSQL database in the
    suite's PostgreSQL pass."""
    if postgres_template is None:
        yield f"sqlite+aiosqlite:///{db_path}"
        return
    async with fresh_postgres(postgres_template) as url:
        yield url


async def _running(url: str, language: str, files: Path) -> AsyncIterator[TestBot]:
    started = TestBot(url, language, files)
    await started.start()
    try:
        yield started
    finally:
        await started.stop()


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[TestBot]:
    async for started in _running(database_url, "it", tmp_path / "files"):
        yield started


@pytest.fixture
async def bot_en(database_url: str, tmp_path: Path) -> AsyncIterator[TestBot]:
    async for started in _running(database_url, "en", tmp_path / "files"):
        yield started
