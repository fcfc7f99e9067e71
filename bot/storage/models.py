"""The core's tables: communities, the members and channels a platform told us about,
every message the bot sent, and the events already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime


class CommunityRow(Base):
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class KnownMember(Base):
    """A member the bot has seen; the console keeps its whole community here."""

    __tablename__ = "known_members"
    __table_args__ = (UniqueConstraint("platform", "community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(String(200), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class KnownChannel(Base):
    __tablename__ = "known_channels"
    __table_args__ = (UniqueConstraint("platform", "community_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))


class SentMessage(Base):
    """Every message the bot sent, with its platform ids, so it can be edited after a restart."""

    __tablename__ = "sent_messages"
    __table_args__ = (
        Index("ix_sent_messages_lookup", "platform", "community_id", "channel_id", "message_id"),
        Index("ix_sent_messages_key", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    # Set for a DM or an ephemeral message: who alone can see it.
    recipient_id: Mapped[str | None] = mapped_column(String(64), default=None)
    visibility: Mapped[str] = mapped_column(String(16), default="public")
    key: Mapped[str | None] = mapped_column(String(100), default=None)
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ProcessedEvent(Base):
    """Events already handled: a platform's retry of one of them changes nothing."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConsoleState(Base):
    """The console's own state: its clock, so a second run carries on where the first stopped."""

    __tablename__ = "console_state"
    __table_args__ = (UniqueConstraint("community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[str] = mapped_column(String(64))
    clock_offset_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    next_message_number: Mapped[int] = mapped_column(Integer, default=1)


class ConsolePost(Base):
    """A member's message on the console, so that a line can report, edit, delete or answer
    it by its number (`@bob report 12`). Other platforms keep their own messages."""

    __tablename__ = "console_posts"
    __table_args__ = (
        UniqueConstraint("community_id", "message_id"),
        Index("ix_console_posts_author", "community_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    thread_of: Mapped[str | None] = mapped_column(String(64), default=None)
    deleted: Mapped[bool] = mapped_column(default=False)


class DashboardSignIn(Base):
    """A one-time sign-in link to the web dashboard: only the token's hash is kept."""

    __tablename__ = "dashboard_sign_ins"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    member_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
