"""When a scheduled quiz starts: a local date and time read in the community's time zone,
and the list of scheduled quizzes that other cogs (a calendar) may read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import ParseError, parse_date
from sqlalchemy import select, update

from bot.core.errors import UserFacingError
from bot.core.model import Channel, Community
from bot.storage.database import Database
from cogs.quizzes.models import CANCELLED, FAILED, SCHEDULED, STARTED, QuizSchedule

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOCAL = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _date(text: str, language: str) -> date:
    iso = _ISO.match(text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            raise UserFacingError("quizzes.schedule.impossible", value=text) from None
    if _LOCAL.match(text):
        # The locale knows whether the day or the month comes first (05/12 in Italy).
        try:
            return parse_date(text.replace(".", "/").replace("-", "/"), locale=language)
        except (ParseError, ValueError):
            raise UserFacingError("quizzes.schedule.impossible", value=text) from None
    raise UserFacingError("quizzes.schedule.bad_date", value=text)


def local_moment(text: str, timezone: str, language: str) -> datetime:
    """`2026-12-05 18:00` (or `05/12/2026 18:00`) in `timezone`, as an aware UTC datetime."""
    parts = text.strip().replace("T", " ").split()
    if len(parts) != 2:
        raise UserFacingError("quizzes.schedule.bad_date", value=text)
    try:
        day = _date(parts[0], language)
    except UserFacingError as error:
        raise UserFacingError(error.key, value=text) from None
    clock = _TIME.match(parts[1])
    if not clock:
        raise UserFacingError("quizzes.schedule.bad_date", value=text)
    try:
        moment = time(int(clock[1]), int(clock[2]))
    except ValueError:
        raise UserFacingError("quizzes.schedule.impossible", value=text) from None
    zone = ZoneInfo(timezone)
    local = datetime.combine(day, moment, tzinfo=zone)
    utc = local.astimezone(UTC)
    # A time skipped when the clocks go forward does not come back from UTC the same.
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UserFacingError("quizzes.schedule.skipped_time", value=text)
    return utc


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
