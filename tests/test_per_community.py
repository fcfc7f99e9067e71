"""Settings kept per community in each process: a change made in one process is seen by
another within its refresh, and at once by the process that made it; a read overtaken by
a change made here is not kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.core.clock import AdjustableClock
from bot.core.communities import Communities
from bot.core.model import Community
from bot.core.per_community import PerCommunity
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.questions.settings import SettingsService

COMMUNITY = Community("discord", "g1", "Gilda")


@pytest.fixture
async def two_processes(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two connections to one database, as two bot processes have."""
    await asyncio.to_thread(upgrade, database_url)
    first, second = Database(database_url), Database(database_url)
    yield first, second
    await first.dispose()
    await second.dispose()


def _communities(db: Database, refresh_seconds: float) -> Communities:
    clock = AdjustableClock()
    return Communities(db, clock, "it", "Europe/Rome", refresh_seconds=refresh_seconds)


async def test_a_language_set_in_one_process_reaches_the_other(
    two_processes: tuple[Database, Database],
) -> None:
    first, second = two_processes
    here, kept, fresh = (
        _communities(first, 30),
        _communities(second, 30),
        _communities(second, 0),
    )
    assert await kept.language(COMMUNITY) == "it"
    assert await fresh.timezone(COMMUNITY) == "Europe/Rome"
    await here.set_language(COMMUNITY, "en")
    await here.set_timezone(COMMUNITY, "America/New_York")
    assert await here.language(COMMUNITY) == "en"  # the process that set it, at once
    assert await kept.language(COMMUNITY) == "it"  # kept: not read at every press
    assert await fresh.language(COMMUNITY) == "en"  # past its refresh: read again
    assert await fresh.timezone(COMMUNITY) == "America/New_York"


async def test_a_question_setting_changed_in_one_process_reaches_the_other(
    two_processes: tuple[Database, Database],
) -> None:
    first, second = two_processes
    here, there = SettingsService(first), SettingsService(second, refresh_seconds=0)
    assert (await there.get(COMMUNITY)).min_askers == 3
    await here.update(COMMUNITY, {"min_askers": 5})
    assert (await here.get(COMMUNITY)).min_askers == 5
    assert (await there.get(COMMUNITY)).min_askers == 5


async def test_a_read_overtaken_by_a_change_made_here_is_not_kept() -> None:
    stored = {"value": "before"}
    reading, release = asyncio.Event(), asyncio.Event()

    async def read(_community: Community) -> str:
        value = stored["value"]
        reading.set()
        await release.wait()
        return value

    kept = PerCommunity(read, refresh_seconds=60)
    slow = asyncio.create_task(kept.get(COMMUNITY))
    await reading.wait()
    stored["value"] = "after"
    kept.forget(COMMUNITY)  # the change is made while the read above is under way
    release.set()
    assert await slow == "before"
    assert await kept.get(COMMUNITY) == "after"
