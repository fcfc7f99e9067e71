"""quizzes: question banks, rounds with their questions and answers, scheduled quizzes

Revision ID: 0005_quizzes
Revises: 0004_questions
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0005_quizzes"
down_revision: str | Sequence[str] | None = "0004_questions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.types.TypeEngine[object]:
    return bot.storage.base.UTCDateTime(timezone=True)  # type: ignore[return-value]


def upgrade() -> None:
    op.create_table(
        "quiz_banks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_banks")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "name",
            name=op.f("uq_quiz_banks_platform_community_id_name"),
        ),
    )
    op.create_table(
        "quiz_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("difficulty", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["quiz_banks.id"],
            name=op.f("fk_quiz_questions_bank_id_quiz_banks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_questions")),
        sa.UniqueConstraint("bank_id", "position", name=op.f("uq_quiz_questions_bank_id_position")),
    )
    op.create_table(
        "quiz_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("bank_name", sa.String(length=40), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("ended_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_rounds")),
    )
    with op.batch_alter_table("quiz_rounds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_rounds_channel_state", ["platform", "community_id", "state"], unique=False
        )
        batch_op.create_index(
            "uq_quiz_rounds_running_channel",
            ["platform", "community_id", "channel_id"],
            unique=True,
            sqlite_where=sa.text("state = 'running'"),
            postgresql_where=sa.text("state = 'running'"),
        )
    op.create_table(
        "quiz_round_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("right", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("opened_at", _utc(), nullable=True),
        sa.Column("deadline", _utc(), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["quiz_rounds.id"],
            name=op.f("fk_quiz_round_questions_round_id_quiz_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_round_questions")),
        sa.UniqueConstraint(
            "round_id", "position", name=op.f("uq_quiz_round_questions_round_id_position")
        ),
    )
    with op.batch_alter_table("quiz_round_questions", schema=None) as batch_op:
        batch_op.create_index("ix_quiz_round_questions_state", ["state"], unique=False)
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("member_name", sa.String(length=100), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answered_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["quiz_round_questions.id"],
            name=op.f("fk_quiz_answers_question_id_quiz_round_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["quiz_rounds.id"],
            name=op.f("fk_quiz_answers_round_id_quiz_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
        sa.UniqueConstraint(
            "question_id", "member_id", name=op.f("uq_quiz_answers_question_id_member_id")
        ),
    )
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_answers_round_id"), ["round_id"], unique=False)
    op.create_table(
        "quiz_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("channel_name", sa.String(length=100), nullable=False),
        sa.Column("bank_name", sa.String(length=40), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("starts_at", _utc(), nullable=False),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_schedules")),
    )
    with op.batch_alter_table("quiz_schedules", schema=None) as batch_op:
        batch_op.create_index("ix_quiz_schedules_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_schedules", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_schedules_state")
    op.drop_table("quiz_schedules")
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_answers_round_id"))
    op.drop_table("quiz_answers")
    with op.batch_alter_table("quiz_round_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_round_questions_state")
    op.drop_table("quiz_round_questions")
    with op.batch_alter_table("quiz_rounds", schema=None) as batch_op:
        batch_op.drop_index("uq_quiz_rounds_running_channel")
        batch_op.drop_index("ix_quiz_rounds_channel_state")
    op.drop_table("quiz_rounds")
    op.drop_table("quiz_questions")
    op.drop_table("quiz_banks")
