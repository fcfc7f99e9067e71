"""The digest's own figures, read from the rollups (never from raw history)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median, quantiles
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Community
from cogs.digest.models import ActiveMemberDay, ActivityHour, AwaitingPost, MemberFlowHour
from cogs.digest.week import Week

# Response times need a few weeks of posts; older ones are pruned.
KEEP_POSTS = timedelta(days=35)


@dataclass(frozen=True, slots=True)
class Pair:
    """A figure this week and the week before."""

    now: int
    before: int


@dataclass(frozen=True, slots=True)
class Responses:
    posts: int
    answered: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True, slots=True)
class Figures:
    week: Week
    joined: Pair
    left: Pair
    active: Pair
    messages: Pair
    per_day: tuple[tuple[date, int, int], ...]  # day, this week, same weekday before
    per_channel: tuple[tuple[str, Pair], ...]  # busiest first
    busiest_hours: tuple[tuple[int, int], ...]  # local hour, messages
    responses: Responses
    previous_median: timedelta | None
    top_members: tuple[tuple[str, int], ...] = field(default=())


def _where(
    model: type[ActivityHour] | type[MemberFlowHour], community: Community
) -> list[ColumnElement[bool]]:
    return [model.platform == community.platform, model.community_id == community.id]


async def _activity(
    session: AsyncSession, community: Community, week: Week
) -> tuple[Counter[date], Counter[str], Counter[str], Counter[int]]:
    zone = ZoneInfo(week.timezone)
    rows = await session.execute(
        select(ActivityHour.channel_id, ActivityHour.hour, ActivityHour.messages).where(
            *_where(ActivityHour, community),
            ActivityHour.hour >= week.previous_since,
            ActivityHour.hour < week.until,
        )
    )
    per_day: Counter[date] = Counter()
    channels_now: Counter[str] = Counter()
    channels_before: Counter[str] = Counter()
    hours: Counter[int] = Counter()
    for channel_id, hour, messages in rows:
        local = hour.astimezone(zone)
        per_day[local.date()] += messages
        if hour >= week.since:
            channels_now[channel_id] += messages
            hours[local.hour] += messages
        else:
            channels_before[channel_id] += messages
    return per_day, channels_now, channels_before, hours


async def _flow(
    session: AsyncSession, community: Community, since: datetime, until: datetime
) -> tuple[int, int]:
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(MemberFlowHour.joined), 0),
                func.coalesce(func.sum(MemberFlowHour.left), 0),
            ).where(
                *_where(MemberFlowHour, community),
                MemberFlowHour.hour >= since,
                MemberFlowHour.hour < until,
            )
        )
    ).one()
    return int(row[0]), int(row[1])


def _days(community: Community, first: date, end: date) -> list[ColumnElement[bool]]:
    return [
        ActiveMemberDay.platform == community.platform,
        ActiveMemberDay.community_id == community.id,
        ActiveMemberDay.day >= first,
        ActiveMemberDay.day < end,
    ]


async def _active(session: AsyncSession, community: Community, first: date, end: date) -> int:
    count = await session.scalar(
        select(func.count(func.distinct(ActiveMemberDay.member_id))).where(
            *_days(community, first, end)
        )
    )
    return int(count or 0)


async def _top(
    session: AsyncSession, community: Community, week: Week
) -> tuple[tuple[str, int], ...]:
    total = func.sum(ActiveMemberDay.messages)
    rows = await session.execute(
        select(ActiveMemberDay.member_id, total)
        .where(*_days(community, week.days[0], week.end))
        .group_by(ActiveMemberDay.member_id)
        .order_by(total.desc(), ActiveMemberDay.member_id)
        .limit(5)
    )
    return tuple((member_id, int(count)) for member_id, count in rows)


async def _responses(
    session: AsyncSession, community: Community, since: datetime, until: datetime
) -> Responses:
    rows = (
        await session.execute(
            select(AwaitingPost.posted_at, AwaitingPost.answered_at).where(
                AwaitingPost.platform == community.platform,
                AwaitingPost.community_id == community.id,
                AwaitingPost.posted_at >= since,
                AwaitingPost.posted_at < until,
            )
        )
    ).all()
    delays = sorted(answered - posted for posted, answered in rows if answered is not None)
    return Responses(len(rows), len(delays), *percentiles(delays))


def percentiles(delays: list[timedelta]) -> tuple[timedelta | None, timedelta | None]:
    """Median and 90th percentile (inclusive method: a value that was observed or between)."""
    if not delays:
        return None, None
    seconds = [delay.total_seconds() for delay in delays]
    if len(seconds) == 1:
        return delays[0], delays[0]
    p90 = quantiles(seconds, n=10, method="inclusive")[-1]
    return timedelta(seconds=median(seconds)), timedelta(seconds=p90)


async def compute(
    session: AsyncSession, community: Community, week: Week, *, names: bool
) -> Figures:
    per_day, channels_now, channels_before, hours = await _activity(session, community, week)
    joined_now, left_now = await _flow(session, community, week.since, week.until)
    joined_before, left_before = await _flow(session, community, week.previous_since, week.since)
    days, previous = week.days, week.previous_days
    active = Pair(
        await _active(session, community, days[0], week.end),
        await _active(session, community, previous[0], days[0]),
    )
    responses = await _responses(session, community, week.since, week.until)
    before = await _responses(session, community, week.previous_since, week.since)
    channels = sorted(
        set(channels_now) | set(channels_before),
        key=lambda channel: (-channels_now[channel], -channels_before[channel], channel),
    )
    busiest = sorted(hours.items(), key=lambda item: (-item[1], item[0]))[:3]
    return Figures(
        week=week,
        joined=Pair(joined_now, joined_before),
        left=Pair(left_now, left_before),
        active=active,
        messages=Pair(sum(per_day[day] for day in days), sum(per_day[day] for day in previous)),
        per_day=tuple(
            (day, per_day[day], per_day[old]) for day, old in zip(days, previous, strict=True)
        ),
        per_channel=tuple(
            (channel, Pair(channels_now[channel], channels_before[channel])) for channel in channels
        ),
        busiest_hours=tuple(busiest),
        responses=responses,
        previous_median=before.median,
        top_members=await _top(session, community, week) if names else (),
    )


async def prune(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(AwaitingPost).where(AwaitingPost.posted_at < now - KEEP_POSTS))
