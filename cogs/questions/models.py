"""Recurring questions: settings, groups, the questions themselves, the FAQ and its answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime

# A group's life: collecting askers, forwarded to staff, answered by the FAQ; or closed.
OPEN = "open"
FORWARDED = "forwarded"
ANSWERED = "answered"
DISMISSED = "dismissed"
MERGED = "merged"
LIVE_STATES = (OPEN, FORWARDED, ANSWERED)
# Dismissed groups stay in the grouper: what staff called no question stays no question.
INDEXED_STATES = (*LIVE_STATES, DISMISSED)

# How a question got its first answer.
BY_STAFF = "staff"
BY_FAQ = "faq"
BY_MEMBER = "member"

ACTIVE = "active"
REMOVED = "removed"
OFFERED = "offered"
PROMOTED = "promoted"


class QuestionSettings(Base):
    __tablename__ = "question_settings"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    min_askers: Mapped[int] = mapped_column(Integer, default=3)
    window_days: Mapped[int] = mapped_column(Integer, default=14)
    # None: the platform's staff channel (Discord #staff, Slack's staff channel).
    staff_channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    not_helpful_limit: Mapped[int] = mapped_column(Integer, default=3)
    unanswered_after_seconds: Mapped[int] = mapped_column(Integer, default=24 * 3600)


class QuestionChannel(Base):
    """A channel's own rule; channels without a row are watched and answered by the FAQ."""

    __tablename__ = "question_channels"
    __table_args__ = (UniqueConstraint("platform", "community_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    # True: watched (once one channel is, only the watched ones are); False: ignored.
    watch: Mapped[bool | None] = mapped_column(Boolean, default=None)
    faq: Mapped[bool] = mapped_column(Boolean, default=True)


class QuestionGroup(Base):
    __tablename__ = "question_groups"
    __table_args__ = (
        Index("ix_question_groups_community_state", "platform", "community_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    representative: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The staff card, kept so that it is edited (also after a restart), never reposted.
    card_channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    card_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    merged_into: Mapped[int | None] = mapped_column(Integer, default=None)
    # Sent back to staff because members found the FAQ answer unhelpful.
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_message", "platform", "community_id", "message_id"),
        Index("ix_questions_asked", "platform", "community_id", "asked_at"),
        # Every reply is looked up as a possible answer to a tracked question.
        Index("ix_questions_helper_message", "platform", "community_id", "helper_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    group_id: Mapped[int] = mapped_column(
        ForeignKey("question_groups.id", ondelete="CASCADE"), index=True
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    answer_kind: Mapped[str | None] = mapped_column(String(16), default=None)
    answered_by: Mapped[str | None] = mapped_column(String(64), default=None)
    # Another member's reply, which counts as the answer once the asker says it solved it.
    helper_message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    helper_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    unanswered_noticed: Mapped[bool] = mapped_column(Boolean, default=False)


class FaqEntry(Base):
    __tablename__ = "faq_entries"
    __table_args__ = (Index("ix_faq_entries_community", "platform", "community_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_groups.id", ondelete="SET NULL"), default=None, index=True
    )
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    # Since the answer was last written: a better answer starts again from zero.
    not_helpful: Mapped[int] = mapped_column(Integer, default=0)


class FaqDelivery(Base):
    """The FAQ's answer to one member for one group: never twice, feedback once."""

    __tablename__ = "faq_deliveries"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[int] = mapped_column(ForeignKey("faq_entries.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(
        ForeignKey("question_groups.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL"), default=None
    )
    member_id: Mapped[str] = mapped_column(String(64))
    feedback: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffReply(Base):
    """A staff member's reply to a forwarded question, offered to staff for the FAQ."""

    __tablename__ = "question_staff_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=OFFERED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
