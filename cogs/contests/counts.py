"""What entry requirements read: messages a member posted (counted here), when they joined."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.models import CommunityRow, KnownMember
from bot.storage.upsert import compiled_once
from cogs.contests.models import MessageCount


class MemberFacts:
    def __init__(self, db: Database) -> None:
        self.db = db
        insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
        self._bump = compiled_once(
            insert(MessageCount)
            .values(count=1)
            .on_conflict_do_update(
                index_elements=["platform", "community_id", "member_id"],
                set_={"count": MessageCount.count + 1},
            ),
            db.dialect,
            ("platform", "community_id", "member_id"),
        )

    async def count_message(self, community: Community, member_id: str) -> None:
        """One more message: a single upsert, so the every-message path is one statement and
        two processes counting a member's first message both land."""
        async with self.db.session() as session:
            await session.execute(
                self._bump,
                {
                    "platform": community.platform,
                    "community_id": community.id,
                    "member_id": member_id,
                },
            )

    async def messages(self, community: Community, member_id: str) -> int:
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
