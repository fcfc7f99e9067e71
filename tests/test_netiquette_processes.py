"""Two Ponte processes on one database: a rule or a setting changed in one reaches the other."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.netiquette.engine import RuleKind, Severity
from cogs.netiquette.rules import RuleStore
from cogs.netiquette.settings import SettingsStore

COMMUNITY = Community("console", "c1", "Test")


async def test_a_change_in_one_process_reaches_the_other(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'two.db'}"
    await asyncio.to_thread(upgrade, url)
    first, second = Database(url), Database(url)
    try:
        here, there = RuleStore(first), RuleStore(second, refresh_seconds=0)
        before = await there.checker(COMMUNITY)
        assert before.check("ananas sulla pizza") is None
        assert await there.checker(COMMUNITY) is before  # nothing changed: not rebuilt
        await here.add(COMMUNITY, RuleKind.WORD, "ananas", Severity.WARN, "mara", datetime.now(UTC))
        verdict = (await there.checker(COMMUNITY)).check("ananas sulla pizza")
        assert verdict is not None and verdict.severity is Severity.WARN
        settings_here, settings_there = SettingsStore(first), SettingsStore(second, 0)
        assert (await settings_there.get(COMMUNITY)).reminder == timedelta(hours=1)
        await settings_here.update(COMMUNITY, reminder=timedelta(minutes=10))
        assert (await settings_there.get(COMMUNITY)).reminder == timedelta(minutes=10)
    finally:
        await first.dispose()
        await second.dispose()
