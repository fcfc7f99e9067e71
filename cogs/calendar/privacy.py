"""What the calendar keeps about a member: the live sessions they asked to be reminded of.
Erased, the reminders are deleted (and not sent)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select

from bot.core.privacy import DataSubject
from bot.storage.database import Database
from cogs.calendar.models import Announcement, Reminder


class CalendarData:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        query = (
            select(Reminder.announcement_id, Reminder.created_at, Reminder.sent_at)
            .join(Announcement, Announcement.id == Reminder.announcement_id)
            .where(
                Announcement.platform == subject.platform,
                Announcement.community_id == subject.community_id,
                Reminder.member_id == subject.member_id,
            )
        )
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return {}
        return {
            "reminders": [
                {"announcement": announcement, "asked_at": asked, "sent_at": sent}
                for announcement, asked, sent in rows
            ]
        }

    async def erase(self, subject: DataSubject) -> int:
        announcements = select(Announcement.id).where(
            Announcement.platform == subject.platform,
            Announcement.community_id == subject.community_id,
        )
        async with self.db.session() as session:
            result = await session.execute(
                delete(Reminder).where(
                    Reminder.announcement_id.in_(announcements),
                    Reminder.member_id == subject.member_id,
                )
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        return 0  # a reminder holds no text
