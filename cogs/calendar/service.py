"""The calendar's rows: every occurrence is claimed by one conditional UPDATE before it is
posted, so a retry, a restart or a second process never posts it twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community
from bot.storage.database import Database
from cogs.calendar.models import (
    CANCELLED,
    DONE,
    SCHEDULED,
    Announcement,
    CalendarSettings,
    Reminder,
)

DEFAULT_LATE_MINUTES = 360


@dataclass(frozen=True, slots=True)
class NewAnnouncement:
    channel_id: str
    author_id: str
    kind: str
    title: str
    text: str
    rule: str | None
    timezone: str
    local_start: datetime
    first_at: datetime
    ends_at: datetime | None = None
    remind_minutes: int = 0


class CalendarService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, community: Community, new: NewAnnouncement, now: datetime) -> int:
        async with self.db.session() as session:
            row = Announcement(
                platform=community.platform,
                community_id=community.id,
                channel_id=new.channel_id,
                author_id=new.author_id,
                kind=new.kind,
                title=new.title,
                text=new.text,
                rule=new.rule,
                timezone=new.timezone,
                local_start=new.local_start.isoformat(timespec="seconds"),
                ends_at=new.ends_at,
                next_at=new.first_at,
                remind_minutes=new.remind_minutes,
                state=SCHEDULED,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return row.id

    async def get(self, announcement_id: int) -> Announcement | None:
        async with self.db.session() as session:
            return await session.get(Announcement, announcement_id)

    async def in_community(self, community: Community, announcement_id: int) -> Announcement | None:
        row = await self.get(announcement_id)
        if row is None or (row.platform, row.community_id) != (community.platform, community.id):
            return None
        return row

    async def upcoming(self, community: Community) -> list[Announcement]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Announcement)
                .where(
                    Announcement.platform == community.platform,
                    Announcement.community_id == community.id,
                    Announcement.state == SCHEDULED,
                )
                .order_by(Announcement.next_at, Announcement.id)
            )
            return list(rows.all())

    async def pending(self) -> list[Announcement]:
        """Every announcement still to post, in every community: the scheduler's rows."""
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Announcement).where(
                    Announcement.state == SCHEDULED, Announcement.next_at.is_not(None)
                )
            )
            return list(rows.all())

    async def claim(
        self, announcement_id: int, due: datetime, next_at: datetime | None, *, posted: bool
    ) -> bool:
        """Move an announcement past its occurrence `due`; True for the one caller that did."""
        values: dict[str, object] = {"next_at": next_at}
        if next_at is None:
            values["state"] = DONE
        if posted:
            values["posts"] = Announcement.posts + 1
        else:
            values["skipped"] = Announcement.skipped + 1
        async with self.db.session() as session:
            result = await session.execute(
                update(Announcement)
                .where(
                    Announcement.id == announcement_id,
                    Announcement.state == SCHEDULED,
                    Announcement.next_at == due,
                )
                .values(**values)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def cancel(self, announcement_id: int) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(Announcement)
                .where(Announcement.id == announcement_id, Announcement.state == SCHEDULED)
                .values(state=CANCELLED)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def attach_message(self, announcement_id: int, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(Announcement)
                .where(Announcement.id == announcement_id)
                .values(message_id=message_id)
            )

    # -- "Remind me" ------------------------------------------------------------------

    async def toggle_reminder(self, announcement_id: int, member_id: str, now: datetime) -> bool:
        """Register a member, or take them off if they were: True when now registered."""
        async with self.db.session() as session:
            removed = await session.execute(
                delete(Reminder).where(
                    Reminder.announcement_id == announcement_id,
                    Reminder.member_id == member_id,
                    Reminder.sent_at.is_(None),
                )
            )
            if removed.rowcount:  # type: ignore[attr-defined]
                return False
        try:
            async with self.db.session() as session:
                session.add(
                    Reminder(announcement_id=announcement_id, member_id=member_id, created_at=now)
                )
        except IntegrityError:
            return True  # a second press racing the first, or the reminder already went out
        return True

    async def reminder_count(self, announcement_id: int) -> int:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Reminder.id).where(Reminder.announcement_id == announcement_id)
            )
            return len(rows.all())

    async def mark_reminded(self, announcement_id: int, now: datetime) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(Announcement)
                .where(Announcement.id == announcement_id, Announcement.reminded_at.is_(None))
                .values(reminded_at=now)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def unsent_reminders(self, announcement_id: int) -> list[Reminder]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Reminder)
                .where(Reminder.announcement_id == announcement_id, Reminder.sent_at.is_(None))
                .order_by(Reminder.id)
            )
            return list(rows.all())

    async def claim_reminder(self, reminder_id: int, now: datetime) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(Reminder)
                .where(Reminder.id == reminder_id, Reminder.sent_at.is_(None))
                .values(sent_at=now)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    # -- settings ---------------------------------------------------------------------

    async def late_minutes(self, community: Community) -> int:
        async with self.db.session() as session:
            row = await session.scalar(self._settings(community))
            return row.late_minutes if row is not None else DEFAULT_LATE_MINUTES

    async def set_late_minutes(self, community: Community, minutes: int) -> None:
        try:
            async with self.db.session() as session:
                row = await session.scalar(self._settings(community))
                if row is None:
                    session.add(
                        CalendarSettings(
                            platform=community.platform,
                            community_id=community.id,
                            late_minutes=minutes,
                        )
                    )
                else:
                    row.late_minutes = minutes
        except IntegrityError:
            await self.set_late_minutes(community, minutes)  # created meanwhile: update it

    @staticmethod
    def _settings(community: Community) -> Select[tuple[CalendarSettings]]:
        return select(CalendarSettings).where(
            CalendarSettings.platform == community.platform,
            CalendarSettings.community_id == community.id,
        )
