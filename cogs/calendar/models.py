"""Scheduled announcements and live sessions, and who asked to be reminded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime

SCHEDULED = "scheduled"
DONE = "done"
CANCELLED = "cancelled"
POST = "post"
LIVE = "live"


class Announcement(Base):
    """One announcement; a recurring one keeps its rule and the next time it falls due."""

    __tablename__ = "announcements"
    __table_args__ = (
        Index("ix_announcements_due", "state", "next_at"),
        Index("ix_announcements_community", "platform", "community_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8), default=POST)
    title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # RFC 5545 rule (FREQ=WEEKLY;BYDAY=MO) read from the local start in `timezone`.
    rule: Mapped[str | None] = mapped_column(String(300), default=None)
    timezone: Mapped[str] = mapped_column(String(64))
    local_start: Mapped[str] = mapped_column(String(19))  # naive local ISO time of the first
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    remind_minutes: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)  # a live card
    posts: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default=SCHEDULED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reminder(Base):
    """A member who pressed "Remind me" on a live session; sent once."""

    __tablename__ = "announcement_reminders"
    __table_args__ = (UniqueConstraint("announcement_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CalendarSettings(Base):
    __tablename__ = "calendar_settings"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    # An announcement missed by more than this (the bot was down) is skipped, not posted.
    late_minutes: Mapped[int] = mapped_column(Integer, default=360)
