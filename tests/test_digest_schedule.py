"""The digest's day and hour: posted at its time, caught up once after downtime, and one
post for one week whichever process claims it first (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.core.model import Community
from cogs.digest.cog import DigestCog
from cogs.digest.week import latest_due
from tests.digest_helpers import advance_to, digest_cards, midweek
from tests.harness import TestBot, running_bot
from tests.postgres import fresh_postgres


def _digest_cog(bot: TestBot) -> DigestCog:
    assert bot.app is not None
    return next(cog for cog in bot.app.report.loaded if isinstance(cog, DigestCog))


def _move_stored_clock(db_path: Path, seconds: int) -> None:
    """The bot is down while the time passes: the console's stored clock moves on."""
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + :s"),
            {"s": seconds},
        )
    engine.dispose()


async def test_a_digest_missed_while_down_is_posted_once_at_start(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await advance_to(bot, 0, 10)
        await bot.say("join @alice", "@alice in #generale: ciao", "@alice in #generale: ci sono")
    _move_stored_clock(db_path, 7 * 24 * 3600)  # down over the next Monday at 09:00
    async with running_bot(db_path) as bot:
        [card] = digest_cards(bot.all_output())
        assert "📈 Digest settimanale" in card
        assert "Messaggi: 2 (▲ +2)" in card
    async with running_bot(db_path) as bot:  # a second restart posts nothing again
        assert digest_cards(bot.all_output()) == []
        said = await advance_to(bot, 0, 9, 1)  # the week after: its own digest, once
        assert len(digest_cards(said)) == 1


async def test_the_day_and_hour_can_be_changed(bot: TestBot) -> None:
    await midweek(bot)
    await bot.say("join @ada as admin", "@ada in #generale: ciao")
    said = await bot.say("@ada: /digest settings day:venerdì hour:18")
    assert "Digest: ogni venerdì alle 18:00 (Europe/Rome) in #staff." in said
    said = await advance_to(bot, 4, 17, 59)
    assert digest_cards(said) == []
    said = await bot.advance("2m")
    assert len(digest_cards(said)) == 1
    said = await bot.say("@ada: /digest settings day:giorno")
    assert "«giorno» non è un giorno della settimana" in said


async def _two_processes_claim_once(first: TestBot, second: TestBot) -> None:
    await first.say("join @alice", "@alice in #generale: ciao")
    assert first.console is not None
    await first.console.ensure_channel("staff")  # the console's channels are not the point
    community = Community("console", "console", "Ponte")
    week, _ = latest_due(first.clock.now(), 0, 9, "Europe/Rome")
    posted = await asyncio.gather(
        _digest_cog(first).post_week(community, week),
        _digest_cog(second).post_week(community, week),
    )
    assert sorted(posted) == [False, True]
    cards = digest_cards(first.all_output()) + digest_cards(second.all_output())
    assert len(cards) == 1


async def test_two_processes_post_a_week_once_on_sqlite(db_path: Path) -> None:
    async with running_bot(db_path) as first, running_bot(db_path) as second:
        await _two_processes_claim_once(first, second)


async def test_two_processes_post_a_week_once_on_postgres(tmp_path: Path) -> None:
    async with fresh_postgres() as url:
        first = TestBot(url, "it", tmp_path / "one")
        second = TestBot(url, "it", tmp_path / "two")
        await first.start()
        await second.start()
        try:
            await _two_processes_claim_once(first, second)
        finally:
            await first.stop()
            await second.stop()
