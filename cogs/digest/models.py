"""The digest's tables: activity rollups (counts only, never text), its settings, the
digests posted, and the tags staff put on messages."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class ActivityHour(Base):
    """Messages per community, channel and UTC hour: the digest's and crisis' counts."""

    __tablename__ = "digest_activity"
    __table_args__ = (UniqueConstraint("platform", "community_id", "hour", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    hour: Mapped[datetime] = mapped_column(UTCDateTime())  # the hour's start, in UTC
    messages: Mapped[int] = mapped_column(Integer, default=0)


class ActiveMemberDay(Base):
    """One row per member per local day on which they wrote: exact active-member counts."""

    __tablename__ = "digest_member_days"
    __table_args__ = (UniqueConstraint("platform", "community_id", "day", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)  # in the community's time zone
    member_id: Mapped[str] = mapped_column(String(64))
    messages: Mapped[int] = mapped_column(Integer, default=0)


class MemberFlowHour(Base):
    """Joins and leaves per community and UTC hour."""

    __tablename__ = "digest_member_flow"
    __table_args__ = (UniqueConstraint("platform", "community_id", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    hour: Mapped[datetime] = mapped_column(UTCDateTime())
    joined: Mapped[int] = mapped_column(Integer, default=0)
    left: Mapped[int] = mapped_column(Integer, default=0)


class AwaitingPost(Base):
    """A member's top-level post and when the team first answered it, for response times.
    No text; kept a few weeks only (pruned when a digest is computed)."""

    __tablename__ = "digest_posts"
    __table_args__ = (
        UniqueConstraint("platform", "community_id", "message_id"),
        Index("ix_digest_posts_posted", "platform", "community_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class DigestSettings(Base):
    __tablename__ = "digest_settings"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # Monday
    hour: Mapped[int] = mapped_column(Integer, default=9)
    channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    include: Mapped[str] = mapped_column(String(200), default="")  # "" = every section
    names: Mapped[bool] = mapped_column(Boolean, default=False)


class DigestRun(Base):
    """A week's digest of a community, claimed by the process that posts it: once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("platform", "community_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)  # the local day the week ends (exclusive)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)


class MessageTag(Base):
    """A theme or campaign staff put on a member's message ("bug", "campagna-natale")."""

    __tablename__ = "digest_tags"
    __table_args__ = (
        UniqueConstraint("platform", "community_id", "message_id", "tag"),
        Index("ix_digest_tags_tag", "platform", "community_id", "tag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    tag: Mapped[str] = mapped_column(String(40))
    tagged_by: Mapped[str] = mapped_column(String(64))
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime())
