"""What entry requirements read: messages a member posted (counted here), when they joined."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core.model import Community
from bot.storage.counters import CounterBuffer
from bot.storage.database import Database
from bot.storage.models import CommunityRow, KnownMember
from bot.storage.upsert import compiled_once, dialect_insert
from cogs.contests.models import MessageCount


class MemberFacts:
    def __init__(self, db: Database, counters: CounterBuffer | None = None) -> None:
        self.db = db
        # Without the app's buffer (a tool): each count written at once.
        self.counters = CounterBuffer(db, 0) if counters is None else counters
        bump = dialect_insert(db.dialect, MessageCount).values(count=1)
        self._bump = compiled_once(
            bump.on_conflict_do_update(
                index_elements=["platform", "community_id", "member_id"],
                set_={"count": MessageCount.count + bump.excluded.count},
            ),
            db.dialect,
            ("platform", "community_id", "member_id"),
        )

    async def count_message(self, community: Community, member_id: str) -> None:
        """One more message: a single upsert, written behind with the other counts, so two
        processes counting a member's first message both land."""
        key = {"platform": community.platform, "community_id": community.id}
        await self.counters.add(self._bump, {**key, "member_id": member_id}, count=1)

    async def messages(self, community: Community, member_id: str) -> int:
        await self.counters.flush()  # this process's counts not written yet
        async with self.db.session() as session:
            count = await session.scalar(
                select(MessageCount.count).where(
                    MessageCount.platform == community.platform,
                    MessageCount.community_id == community.id,
                    MessageCount.member_id == member_id,
                )
            )
        return int(count or 0)

    async def joined_at(self, community: Community, member_id: str) -> datetime | None:
        """When the member joined; one who was there before Ponte recorded joins counts from
        Ponte's first record of the community (at least that long, maybe longer)."""
        async with self.db.session() as session:
            joined: datetime | None = await session.scalar(
                select(KnownMember.joined_at).where(
                    KnownMember.platform == community.platform,
                    KnownMember.community_id == community.id,
                    KnownMember.member_id == member_id,
                )
            )
            if joined is None:
                joined = await session.scalar(
                    select(CommunityRow.created_at).where(
                        CommunityRow.platform == community.platform,
                        CommunityRow.community_id == community.id,
                    )
                )
        return joined
