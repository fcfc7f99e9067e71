"""Question banks, quiz rounds with their questions and answers, scheduled quizzes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UTCDateTime

# Round states.
RUNNING = "running"
FINISHED = "finished"
STOPPED = "stopped"
# Question states within a round.
PENDING = "pending"
OPEN = "open"
REVEALED = "revealed"
# Scheduled quiz states.
SCHEDULED = "scheduled"
STARTED = "started"
CANCELLED = "cancelled"
FAILED = "failed"


class QuizBank(Base):
    __tablename__ = "quiz_banks"
    __table_args__ = (UniqueConstraint("platform", "community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(8))  # gift or csv
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuizQuestion(Base):
    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("bank_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("quiz_banks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    answers: Mapped[str] = mapped_column(Text)  # JSON list, the right answer first
    explanation: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(60), default="")
    difficulty: Mapped[str] = mapped_column(String(20), default="")


class QuizRound(Base):
    __tablename__ = "quiz_rounds"
    __table_args__ = (
        Index("ix_quiz_rounds_channel_state", "platform", "community_id", "state"),
        # One running round per channel, also when two processes start one at once.
        Index(
            "uq_quiz_rounds_running_channel",
            "platform",
            "community_id",
            "channel_id",
            unique=True,
            sqlite_where=text("state = 'running'"),
            postgresql_where=text("state = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    bank_name: Mapped[str] = mapped_column(String(40))
    started_by: Mapped[str] = mapped_column(String(64))
    seconds: Mapped[int] = mapped_column(Integer)
    question_count: Mapped[int] = mapped_column(Integer)
    # The position of the question on screen; advanced by one conditional UPDATE.
    current: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default=RUNNING)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class QuizRoundQuestion(Base):
    """A question as it is played in a round: its answers already shuffled."""

    __tablename__ = "quiz_round_questions"
    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        Index("ix_quiz_round_questions_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("quiz_rounds.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    answers: Mapped[str] = mapped_column(Text)  # JSON list, in the order of the buttons
    right: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    message_id: Mapped[str | None] = mapped_column(String(64), default=None)


class QuizAnswer(Base):
    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("question_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_round_questions.id", ondelete="CASCADE")
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_rounds.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[str] = mapped_column(String(64))
    member_name: Mapped[str] = mapped_column(String(100))
    choice: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QuizSchedule(Base):
    __tablename__ = "quiz_schedules"
    __table_args__ = (Index("ix_quiz_schedules_state", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    channel_name: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str] = mapped_column(String(40))
    question_count: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default=SCHEDULED)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    round_id: Mapped[int | None] = mapped_column(Integer, default=None)
