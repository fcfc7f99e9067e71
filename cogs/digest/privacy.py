"""What the digest keeps about a member: the days they wrote (for exact active-member
counts) and the tags they put on messages. Erased, the rows stay for the counts and name
nobody."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update

from bot.core.privacy import DataSubject, erased_id
from bot.storage.counters import CounterBuffer
from bot.storage.database import Database
from cogs.digest.models import ActiveMemberDay, MessageTag


class DigestData:
    def __init__(self, db: Database, counters: CounterBuffer) -> None:
        self.db = db
        self.counters = counters

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        await self.counters.flush()
        days = select(ActiveMemberDay.day, ActiveMemberDay.messages).where(
            ActiveMemberDay.platform == subject.platform,
            ActiveMemberDay.community_id == subject.community_id,
            ActiveMemberDay.member_id == subject.member_id,
        )
        tags = select(MessageTag.tag, MessageTag.message_id, MessageTag.tagged_at).where(
            MessageTag.platform == subject.platform,
            MessageTag.community_id == subject.community_id,
            MessageTag.tagged_by == subject.member_id,
        )
        async with self.db.session() as session:
            active = (await session.execute(days.order_by(ActiveMemberDay.day))).all()
            tagged = (await session.execute(tags)).all()
        found: dict[str, object] = {}
        if active:
            found["days_active"] = [
                {"day": day.isoformat(), "messages": count} for day, count in active
            ]
        if tagged:
            found["tags_given"] = [
                {"tag": tag, "message": message, "at": at} for tag, message, at in tagged
            ]
        return found

    async def erase(self, subject: DataSubject) -> int:
        # A count still in memory, written after the erasure, would name the member again.
        await self.counters.flush()
        async with self.db.session() as session:
            days = await session.execute(
                update(ActiveMemberDay)
                .where(
                    ActiveMemberDay.platform == subject.platform,
                    ActiveMemberDay.community_id == subject.community_id,
                    ActiveMemberDay.member_id == subject.member_id,
                )
                .values(member_id=erased_id(ActiveMemberDay.id))
            )
            tags = await session.execute(
                update(MessageTag)
                .where(
                    MessageTag.platform == subject.platform,
                    MessageTag.community_id == subject.community_id,
                    MessageTag.tagged_by == subject.member_id,
                )
                .values(tagged_by=erased_id(MessageTag.id))
            )
        return int(days.rowcount or 0) + int(tags.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        return 0  # counts only, never text
