"""Netiquette: a community's rules and settings, the review queue, strikes and the audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
WARNED = "warned"  # rejected, with a warning text to the author
WITHDRAWN = "withdrawn"  # deleted by its author before anyone decided
DECISIONS = (APPROVED, REJECTED, WARNED)


class NetiquetteSettings(Base):
    """One row per community; a missing row means the defaults."""

    __tablename__ = "netiquette_settings"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    review_channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    exempt_staff: Mapped[bool] = mapped_column(Boolean, default=True)
    reminder_seconds: Mapped[int] = mapped_column(Integer)
    strike_expiry_seconds: Mapped[int] = mapped_column(Integer)
    retention_seconds: Mapped[int] = mapped_column(Integer)
    # "2:3600,3:86400": at that many active strikes, a timeout of that many seconds.
    escalation: Mapped[str] = mapped_column(String(200))
    reports_held: Mapped[bool] = mapped_column(Boolean, default=False)


class NetiquetteCategory(Base):
    """A built-in category a community switched off or gave another severity."""

    __tablename__ = "netiquette_categories"
    __table_args__ = (UniqueConstraint("platform", "community_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str | None] = mapped_column(String(8), default=None)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class NetiquetteRule(Base):
    """A community's own rule: a word, a regular expression, a denied or allowed domain."""

    __tablename__ = "netiquette_rules"
    __table_args__ = (Index("ix_netiquette_rules_community", "platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    pattern: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(8))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetiquetteReview(Base):
    """A held or reported message waiting for, or carrying, a moderator's decision."""

    __tablename__ = "netiquette_reviews"
    __table_args__ = (
        Index("ix_netiquette_reviews_state", "state"),
        Index("ix_netiquette_reviews_message", "platform", "community_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    thread_of: Mapped[str | None] = mapped_column(String(64), default=None)
    # Set while pending and cleared by the decision: one open review per message, also
    # when two reports or two processes race to open it.
    open_key: Mapped[str | None] = mapped_column(String(220), default=None, unique=True)
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(100))
    author_avatar: Mapped[str | None] = mapped_column(String(500), default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)  # erased after retention
    rule: Mapped[str] = mapped_column(String(64))  # engine rule id, or "report"
    category: Mapped[str] = mapped_column(String(32))
    pattern: Mapped[str | None] = mapped_column(String(300), default=None)
    span_start: Mapped[int | None] = mapped_column(Integer, default=None)
    span_end: Mapped[int | None] = mapped_column(Integer, default=None)
    hold: Mapped[str] = mapped_column(String(16))  # HoldOutcome, or "none" (not held)
    # A flood's later messages follow its first review: held, but one card and one decision.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("netiquette_reviews.id", ondelete="SET NULL"), default=None, index=True
    )
    reports: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    card_channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    card_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decided_by_name: Mapped[str | None] = mapped_column(String(100), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    erase_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # When the decision's effects (repost, notices, escalation) were carried out: a decided
    # review without it was left half done by a process that died.
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class NetiquetteReporter(Base):
    """Who reported a review's message: each member counts once, and is never shown to the
    author."""

    __tablename__ = "netiquette_reporters"
    __table_args__ = (UniqueConstraint("review_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("netiquette_reviews.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetiquetteStrike(Base):
    __tablename__ = "netiquette_strikes"
    __table_args__ = (
        Index("ix_netiquette_strikes_member", "platform", "community_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(64))
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("netiquette_reviews.id", ondelete="SET NULL"), default=None
    )
    rule: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    pardoned_by: Mapped[str | None] = mapped_column(String(64), default=None)
    pardoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class NetiquetteAudit(Base):
    """Every decision, warning, logged match, escalation and pardon: who, what, when."""

    __tablename__ = "netiquette_audit"
    __table_args__ = (Index("ix_netiquette_audit_community", "platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("netiquette_reviews.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(String(64), default=None)  # None: the bot
    member_id: Mapped[str | None] = mapped_column(String(64), default=None)
    rule: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
