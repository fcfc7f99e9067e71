"""The crisis alert's tables: counts per hour (the baseline) and per minute (the window),
the recent complaints an alert quotes, the alerts themselves and the settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime

OPEN = "open"
OVER = "over"


class CrisisHour(Base):
    """Messages and complaints per community and UTC hour: counts only, kept for weeks."""

    __tablename__ = "crisis_hours"
    __table_args__ = (UniqueConstraint("platform", "community_id", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    hour: Mapped[datetime] = mapped_column(UTCDateTime())
    messages: Mapped[int] = mapped_column(Integer, default=0)
    complaints: Mapped[int] = mapped_column(Integer, default=0)


class CrisisMinute(Base):
    """Messages per community and minute, for the rolling window; kept a few hours."""

    __tablename__ = "crisis_minutes"
    __table_args__ = (UniqueConstraint("platform", "community_id", "minute"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    minute: Mapped[datetime] = mapped_column(UTCDateTime())
    messages: Mapped[int] = mapped_column(Integer, default=0)


class CrisisComplaint(Base):
    """A recent complaint: who (to count members), where, and a short excerpt the alert
    quotes. Erased after a day."""

    __tablename__ = "crisis_complaints"
    __table_args__ = (
        UniqueConstraint("platform", "community_id", "message_id"),
        Index("ix_crisis_complaints_at", "platform", "community_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    excerpt: Mapped[str] = mapped_column(String(200))
    # "message", or "question": a question hinting at a problem, counted only in a group
    # of many members asking it (the recurring-questions cog's).
    source: Mapped[str] = mapped_column(String(16), default="message")


class CrisisAlert(Base):
    """One spike. `open_key` is set while it runs and cleared when it is over: the one
    insert that claims it, so two processes never post two alerts for one spike."""

    __tablename__ = "crisis_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    open_key: Mapped[str | None] = mapped_column(String(100), default=None, unique=True)
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_spike_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    peak: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)


class CrisisSettings(Base):
    __tablename__ = "crisis_settings"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    window_minutes: Mapped[int] = mapped_column(Integer)
    min_complaints: Mapped[int] = mapped_column(Integer)
    min_members: Mapped[int] = mapped_column(Integer)
    ratio: Mapped[float] = mapped_column(Float)
    z: Mapped[float] = mapped_column(Float)
    cooldown_minutes: Mapped[int] = mapped_column(Integer)
