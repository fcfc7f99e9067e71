"""Two processes on one database: a start, an answer, a reveal, an advance and a stop
happen once, on SQLite and on PostgreSQL; and the quiz tables match their migration."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.errors import UserFacingError
from bot.core.loader import import_cog_models
from bot.core.model import Community, Member
from bot.storage.base import Base
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.quizzes.bank import Question
from cogs.quizzes.leaderboard import Leaderboards
from cogs.quizzes.service import AnswerOutcome, QuestionView, RoundService
from tests.postgres import fresh_postgres

COMMUNITY = Community("console", "c1", "Test")
QUESTIONS = tuple(Question(f"Q{number}?", ("right", "wrong", "other")) for number in range(3))


async def _twice(url: str) -> None:
    await asyncio.to_thread(upgrade, url)
    first, second = Database(url), Database(url)
    try:
        one, two = RoundService(first), RoundService(second)
        now = datetime.now(UTC)
        starts = await asyncio.gather(
            *(service.start(COMMUNITY, "general", None, "b", QUESTIONS, 3, 20, now)
              for service in (one, two)),
            return_exceptions=True,
        )  # fmt: skip
        busy = [error for error in starts if isinstance(error, UserFacingError)]
        assert len(busy) == 1 and busy[0].key == "quizzes.round.busy", starts
        question = next(start for start in starts if isinstance(start, QuestionView))
        members = [Member("console", "c1", f"m{number}", f"m{number}") for number in range(10)]
        # Half the members answer right, half wrong, each pressing three times through
        # both processes at once: whichever press lands first, the score is the same.
        wrong = (question.right + 1) % len(question.answers)
        choices = {
            member.id: question.right if n < 5 else wrong for n, member in enumerate(members)
        }
        outcomes = await asyncio.gather(
            *(
                service.answer(question.id, choices[member.id], member, now + timedelta(seconds=1))
                for member in members
                for service in (one, two, one)
            )
        )
        recorded = [outcome for outcome, _ in outcomes].count(AnswerOutcome.RECORDED)
        assert recorded == 10  # one answer each, the others refused as already given
        view = await one.view(question.id)
        assert view is not None and view.answered == 10
        board = await Leaderboards(second).of_round(question.round_id)
        assert len(board) == 10 and [standing.points > 0 for standing in board].count(True) == 5
        assert board[-1].points == 0
        season = await Leaderboards(first).season(COMMUNITY, now - timedelta(days=1))
        assert [standing.member_id for standing in season] == [s.member_id for s in board]
        reveals = await asyncio.gather(*(s.reveal(question.id) for s in (one, two) * 3))
        assert reveals.count(True) == 1
        late, _ = await two.answer(question.id, 0, Member("console", "c1", "x", "x"), now)
        assert late is AnswerOutcome.CLOSED
        advanced = await asyncio.gather(
            *(s.advance(question.round_id, 0, now) for s in (one, two) * 3)
        )
        assert len([view for view in advanced if view is not None]) == 1
        stops = await asyncio.gather(*(s.stop(question.round_id, now) for s in (one, two) * 3))
        assert [stopped for stopped, _ in stops].count(True) == 1
        assert await one.advance(question.round_id, 1, now) is None  # a stopped round stays
    finally:
        await first.dispose()
        await second.dispose()


async def test_two_processes_change_a_round_once_on_sqlite(tmp_path: Path) -> None:
    await _twice(f"sqlite+aiosqlite:///{tmp_path / 'q.db'}")


async def test_two_processes_change_a_round_once_on_postgres() -> None:
    async with fresh_postgres() as url:
        await _twice(url)


def _quiz_differences(connection: Connection) -> list[object]:
    import_cog_models()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        difference
        for difference in compare_metadata(context, Base.metadata)
        if "quiz_" in repr(difference)
    ]


async def _compare(url: str) -> list[object]:
    await asyncio.to_thread(upgrade, url)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_quiz_differences)
    finally:
        await engine.dispose()


async def test_quiz_tables_match_their_migration(tmp_path: Path) -> None:
    assert await _compare(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}") == []
    async with fresh_postgres() as url:
        assert await _compare(url) == []
