"""Response time: from a question to its first answer, median and 90th percentile per week
and per channel. `QuestionStatsService.stats` is the API the weekly digest calls too."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.model import Community
from bot.storage.database import Database
from cogs.questions.models import LIVE_STATES, Question, QuestionGroup


@dataclass(frozen=True, slots=True)
class Timing:
    """Questions asked in a slice of time or a channel, and how fast they were answered."""

    asked: int
    answered: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True, slots=True)
class QuestionStats:
    since: datetime
    until: datetime
    overall: Timing
    by_week: tuple[tuple[date, Timing], ...]  # the Monday each week starts on
    by_channel: tuple[tuple[str, Timing], ...]  # busiest channel first
    by_kind: tuple[tuple[str, int], ...]  # staff, faq, member
    unanswered: int  # still without an answer after the community's unanswered time
    recurring_groups: int  # groups asked by at least the threshold of members


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    channel_id: str
    asked_at: datetime
    answered_at: datetime | None
    kind: str | None


def percentile(values: Sequence[timedelta], fraction: float) -> timedelta | None:
    """Nearest rank: a value that really occurred, the same on every platform."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def timing(questions: Iterable[AskedQuestion]) -> Timing:
    items = list(questions)
    waits = [item.answered_at - item.asked_at for item in items if item.answered_at is not None]
    return Timing(len(items), len(waits), median(waits), percentile(waits, 0.9))


def week_start(moment: datetime, timezone: str) -> date:
    local = moment.astimezone(ZoneInfo(timezone)).date()
    return local - timedelta(days=local.weekday())


def summarize(
    questions: Sequence[AskedQuestion],
    since: datetime,
    until: datetime,
    *,
    timezone: str,
    unanswered_after: timedelta,
    now: datetime,
    recurring_groups: int = 0,
) -> QuestionStats:
    weeks: dict[date, list[AskedQuestion]] = defaultdict(list)
    channels: dict[str, list[AskedQuestion]] = defaultdict(list)
    kinds: dict[str, int] = defaultdict(int)
    for item in questions:
        weeks[week_start(item.asked_at, timezone)].append(item)
        channels[item.channel_id].append(item)
        if item.kind is not None:
            kinds[item.kind] += 1
    by_channel = sorted(channels.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    late = sum(
        1
        for item in questions
        if item.answered_at is None and now - item.asked_at >= unanswered_after
    )
    return QuestionStats(
        since=since,
        until=until,
        overall=timing(questions),
        by_week=tuple((week, timing(items)) for week, items in sorted(weeks.items())),
        by_channel=tuple((channel, timing(items)) for channel, items in by_channel),
        by_kind=tuple(sorted(kinds.items())),
        unanswered=late,
        recurring_groups=recurring_groups,
    )


class QuestionStatsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def asked(
        self, community: Community, since: datetime, until: datetime
    ) -> list[AskedQuestion]:
        """The questions asked in [since, until), outside dismissed groups."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    Question.channel_id,
                    Question.asked_at,
                    Question.answered_at,
                    Question.answer_kind,
                )
                .join(QuestionGroup, QuestionGroup.id == Question.group_id)
                .where(
                    Question.platform == community.platform,
                    Question.community_id == community.id,
                    Question.asked_at >= since,
                    Question.asked_at < until,
                    QuestionGroup.state.in_(LIVE_STATES),
                )
                .order_by(Question.asked_at)
            )
            return [
                AskedQuestion(channel_id, asked_at, answered_at, kind)
                for channel_id, asked_at, answered_at, kind in rows.tuples()
            ]

    async def stats(
        self,
        community: Community,
        since: datetime,
        until: datetime,
        *,
        timezone: str = "Europe/Rome",
        unanswered_after: timedelta = timedelta(hours=24),
        now: datetime | None = None,
        min_askers: int = 2,
    ) -> QuestionStats:
        asked = await self.asked(community, since, until)
        recurring = await self._recurring(community, since, until, min_askers)
        return summarize(
            asked,
            since,
            until,
            timezone=timezone,
            unanswered_after=unanswered_after,
            now=now or until,
            recurring_groups=recurring,
        )

    async def _recurring(
        self, community: Community, since: datetime, until: datetime, min_askers: int
    ) -> int:
        async with self.db.session() as session:
            rows = await session.execute(
                select(Question.group_id, Question.member_id)
                .join(QuestionGroup, QuestionGroup.id == Question.group_id)
                .where(
                    Question.platform == community.platform,
                    Question.community_id == community.id,
                    Question.asked_at >= since,
                    Question.asked_at < until,
                    QuestionGroup.state.in_(LIVE_STATES),
                )
            )
            askers: dict[int, set[str]] = defaultdict(set)
            for group_id, member_id in rows.tuples():
                askers[group_id].add(member_id)
        return sum(1 for members in askers.values() if len(members) >= min_askers)
