"""When a scheduled quiz starts: a local date and time read in the community's time zone,
and the list of scheduled quizzes that other cogs (a calendar) may read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.core.model import Channel, Community
from bot.storage.database import Database
from cogs.quizzes.models import CANCELLED, FAILED, SCHEDULED, STARTED, QuizSchedule


@dataclass(frozen=True, slots=True)
class ScheduledQuiz:
    id: int
    starts_at: datetime
    bank: str
    channel_id: str
    channel_name: str
    questions: int
    seconds: int


async def scheduled_quizzes(db: Database, community: Community) -> list[ScheduledQuiz]:
    """The quizzes still to start in a community, soonest first (for a calendar)."""
    async with db.session() as session:
        rows = await session.scalars(
            select(QuizSchedule)
            .where(
                QuizSchedule.platform == community.platform,
                QuizSchedule.community_id == community.id,
                QuizSchedule.state == SCHEDULED,
            )
            .order_by(QuizSchedule.starts_at, QuizSchedule.id)
        )
        return [_quiz(row) for row in rows.all()]


def _quiz(row: QuizSchedule) -> ScheduledQuiz:
    return ScheduledQuiz(
        row.id,
        row.starts_at,
        row.bank_name,
        row.channel_id,
        row.channel_name,
        row.question_count,
        row.seconds,
    )


class ScheduleStore:
    """Scheduled quizzes as rows; starting and reminding are claimed once each."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        community: Community,
        channel: Channel,
        bank: str,
        questions: int,
        seconds: int,
        starts_at: datetime,
        created_by: str,
        now: datetime,
        *,
        reminded: bool,
    ) -> int:
        async with self.db.session() as session:
            row = QuizSchedule(
                platform=community.platform,
                community_id=community.id,
                channel_id=channel.id,
                channel_name=channel.name[:100],
                bank_name=bank,
                question_count=questions,
                seconds=seconds,
                starts_at=starts_at,
                reminded=reminded,
                state=SCHEDULED,
                created_by=created_by,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return row.id

    async def get(self, schedule_id: int) -> tuple[Community, ScheduledQuiz] | None:
        async with self.db.session() as session:
            row = await session.get(QuizSchedule, schedule_id, populate_existing=True)
            if row is None:
                return None
            return Community(row.platform, row.community_id, ""), _quiz(row)

    async def _claim(self, schedule_id: int, *conditions: Any, **values: Any) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(QuizSchedule)
                .where(QuizSchedule.id == schedule_id, QuizSchedule.state == SCHEDULED)
                .where(*conditions)
                .values(**values)
            )
            return bool(getattr(result, "rowcount", 0) == 1)

    async def cancel(self, community: Community, schedule_id: int) -> bool:
        return await self._claim(
            schedule_id,
            QuizSchedule.platform == community.platform,
            QuizSchedule.community_id == community.id,
            state=CANCELLED,
        )

    async def claim_reminder(self, schedule_id: int) -> bool:
        return await self._claim(schedule_id, QuizSchedule.reminded.is_(False), reminded=True)

    async def claim_start(self, schedule_id: int) -> bool:
        return await self._claim(schedule_id, state=STARTED)

    async def finish(self, schedule_id: int, round_id: int | None) -> None:
        """Record what the start made: its round, or that it could not start."""
        async with self.db.session() as session:
            await session.execute(
                update(QuizSchedule)
                .where(QuizSchedule.id == schedule_id, QuizSchedule.state == STARTED)
                .values(round_id=round_id, state=STARTED if round_id is not None else FAILED)
            )

    async def pending(self) -> list[tuple[int, datetime, bool]]:
        """Every scheduled quiz still to start: the scheduler is rebuilt from these."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(QuizSchedule.id, QuizSchedule.starts_at, QuizSchedule.reminded).where(
                    QuizSchedule.state == SCHEDULED
                )
            )
            return [(row_id, when, bool(reminded)) for row_id, when, reminded in rows.tuples()]
