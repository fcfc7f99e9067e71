"""Contests (giveaways and submission contests), their entries, votes, winners, voucher
codes, and the per-member message counts that entry requirements read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
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

GIVEAWAY = "giveaway"
SUBMISSIONS = "submissions"
OPEN = "open"  # a giveaway takes entries; a submission contest takes submissions
VOTING = "voting"  # a submission contest's entries are voted on (or judged)
CLOSED = "closed"
BY_MEMBERS = "members"
BY_STAFF = "staff"


class Contest(Base):
    __tablename__ = "contests"
    __table_args__ = (Index("ix_contests_community_state", "platform", "community_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    winners: Mapped[int] = mapped_column(Integer, default=1)
    judging: Mapped[str] = mapped_column(String(16), default=BY_MEMBERS)
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(100))
    required_role: Mapped[str | None] = mapped_column(String(100), default=None)
    min_days: Mapped[int | None] = mapped_column(Integer, default=None)
    min_messages: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Submission contests: submissions end here and voting starts.
    submit_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # The draw: the seed stays secret until the draw; its SHA-256 is published at the start.
    seed: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str] = mapped_column(String(64))
    # The next counter of the draw's hash sequence: a reroll carries on from here.
    draw_counter: Mapped[int] = mapped_column(Integer, default=0)


class ContestEntry(Base):
    __tablename__ = "contest_entries"
    __table_args__ = (UniqueConstraint("contest_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    # The entry's number within its contest, shown on buttons (`#3 alice`).
    number: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(200), default=None)
    file_type: Mapped[str | None] = mapped_column(String(100), default=None)
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)


class ContestVote(Base):
    __tablename__ = "contest_votes"
    __table_args__ = (UniqueConstraint("contest_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(64))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ContestWinner(Base):
    """A winner: drawn (giveaways), voted or picked by staff (submission contests)."""

    __tablename__ = "contest_winners"
    __table_args__ = (UniqueConstraint("contest_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(100))
    # 1, 2, … in the order drawn; rerolls continue the numbering.
    rank: Mapped[int] = mapped_column(Integer)
    # 0 for the draw at the close, 1, 2, … for each reroll.
    round: Mapped[int] = mapped_column(Integer, default=0)
    won_at: Mapped[datetime] = mapped_column(UTCDateTime())


class VoucherCode(Base):
    """A prize code, handed out once: `winner_id` is set by one conditional UPDATE."""

    __tablename__ = "contest_codes"
    __table_args__ = (
        UniqueConstraint("contest_id", "code"),
        # NULLs are distinct: many codes wait, but a winner holds at most one.
        UniqueConstraint("contest_id", "winner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(200))
    winner_id: Mapped[str | None] = mapped_column(String(64), default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class MessageCount(Base):
    """How many messages a member posted: a number only, never what they wrote."""

    __tablename__ = "contest_message_counts"
    __table_args__ = (UniqueConstraint("platform", "community_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)
