"""The rollups, kept as things happen: one upsert per table touched; the message counts
written behind (bot.storage.counters), the rest in the event's own transaction.

The same statements serve the live listeners and the benchmark's bulk load."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.counters import CounterBuffer
from bot.storage.upsert import compiled_once, dialect_insert
from cogs.digest.models import ActiveMemberDay, ActivityHour, AwaitingPost, MemberFlowHour

Row = Mapping[str, Any]


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def activity_upsert(dialect: str) -> Insert:
    """Params: platform, community_id, channel_id, hour; messages, the increment (1 unless
    given)."""
    stmt = dialect_insert(dialect, ActivityHour).values(messages=1)
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=["platform", "community_id", "hour", "channel_id"],
        set_={"messages": ActivityHour.messages + stmt.excluded.messages},
    )


def member_day_upsert(dialect: str) -> Insert:
    """Params: platform, community_id, day, member_id; messages, as above."""
    stmt = dialect_insert(dialect, ActiveMemberDay).values(messages=1)
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=["platform", "community_id", "day", "member_id"],
        set_={"messages": ActiveMemberDay.messages + stmt.excluded.messages},
    )


def flow_upsert(dialect: str, column: str) -> Insert:
    """Params: platform, community_id, hour; `column` ("joined" or "left") the number to add."""
    other = "left" if column == "joined" else "joined"
    stmt = dialect_insert(dialect, MemberFlowHour).values({column: 1, other: 0})
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=["platform", "community_id", "hour"],
        set_={column: getattr(MemberFlowHour, column) + stmt.excluded[column]},
    )


def awaitingdialect_insert(dialect: str) -> Insert:
    """Params: platform, community_id, message_id, posted_at; a retried event adds nothing."""
    stmt = dialect_insert(dialect, AwaitingPost)
    return stmt.on_conflict_do_nothing(  # type: ignore[no-any-return]
        index_elements=["platform", "community_id", "message_id"]
    )


class Rollups:
    """The statements for one database dialect, built once."""

    def __init__(self, dialect: str) -> None:
        place = ("platform", "community_id")
        self.activity = compiled_once(
            activity_upsert(dialect), dialect, (*place, "channel_id", "hour")
        )
        self.member_day = compiled_once(
            member_day_upsert(dialect), dialect, (*place, "day", "member_id")
        )
        self.joined = compiled_once(flow_upsert(dialect, "joined"), dialect, (*place, "hour"))
        self.left = compiled_once(flow_upsert(dialect, "left"), dialect, (*place, "hour"))
        self.awaiting = compiled_once(
            awaitingdialect_insert(dialect), dialect, (*place, "message_id", "posted_at")
        )

    async def message(
        self,
        counters: CounterBuffer,
        *,
        platform: str,
        community_id: str,
        channel_id: str,
        member_id: str,
        at: datetime,
        timezone: str,
    ) -> None:
        """Count a message, written behind with the other counts."""
        where = {"platform": platform, "community_id": community_id}
        await counters.add(
            self.activity, {**where, "channel_id": channel_id, "hour": hour_of(at)}, messages=1
        )
        await counters.add(
            self.member_day,
            {**where, "day": local_day(at, timezone), "member_id": member_id},
            messages=1,
        )

    async def awaits(
        self,
        counters: CounterBuffer,
        platform: str,
        community_id: str,
        message_id: str,
        at: datetime,
    ) -> None:
        """A member's post the team has yet to answer, written behind with the counts."""
        await counters.insert(
            self.awaiting,
            {
                "platform": platform,
                "community_id": community_id,
                "message_id": message_id,
                "posted_at": at,
            },
        )

    async def answered(
        self, session: AsyncSession, platform: str, community_id: str, message_id: str, at: datetime
    ) -> None:
        """The team's first answer to a post; later ones change nothing."""
        await session.execute(
            update(AwaitingPost)
            .where(
                AwaitingPost.platform == platform,
                AwaitingPost.community_id == community_id,
                AwaitingPost.message_id == message_id,
                AwaitingPost.answered_at.is_(None),
            )
            .values(answered_at=at)
        )

    async def member(
        self,
        counters: CounterBuffer,
        platform: str,
        community_id: str,
        at: datetime,
        *,
        joined: bool,
    ) -> None:
        """Count a join or a leave, written behind with the other counts."""
        where = {"platform": platform, "community_id": community_id, "hour": hour_of(at)}
        if joined:
            await counters.add(self.joined, where, joined=1)
        else:
            await counters.add(self.left, where, left=1)
