"""questions: settings, channel rules, groups, questions, the FAQ, its answers, staff replies

Revision ID: 0004_questions
Revises: 0003_netiquette
Create Date: 2026-12-01 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0004_questions"
down_revision: str | Sequence[str] | None = "0003_netiquette"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = bot.storage.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "question_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("min_askers", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("staff_channel_id", sa.String(length=64), nullable=True),
        sa.Column("not_helpful_limit", sa.Integer(), nullable=False),
        sa.Column("unanswered_after_seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_settings")),
        sa.UniqueConstraint(
            "platform", "community_id", name=op.f("uq_question_settings_platform_community_id")
        ),
    )
    op.create_table(
        "question_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("watch", sa.Boolean(), nullable=True),
        sa.Column("faq", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_channels")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "channel_id",
            name=op.f("uq_question_channels_platform_community_id_channel_id"),
        ),
    )
    op.create_table(
        "question_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("representative", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("forwarded_at", UTC, nullable=True),
        sa.Column("card_channel_id", sa.String(length=64), nullable=True),
        sa.Column("card_message_id", sa.String(length=64), nullable=True),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("reopened", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_groups")),
    )
    with op.batch_alter_table("question_groups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_groups_community_state",
            ["platform", "community_id", "state"],
            unique=False,
        )
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("member_name", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("asked_at", UTC, nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", UTC, nullable=True),
        sa.Column("answer_kind", sa.String(length=16), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("helper_message_id", sa.String(length=64), nullable=True),
        sa.Column("helper_reply_at", UTC, nullable=True),
        sa.Column("unanswered_noticed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["question_groups.id"],
            name=op.f("fk_questions_group_id_question_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questions_message", ["platform", "community_id", "message_id"], unique=False
        )
        batch_op.create_index(
            "ix_questions_asked", ["platform", "community_id", "asked_at"], unique=False
        )
        batch_op.create_index(
            "ix_questions_helper_message",
            ["platform", "community_id", "helper_message_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_questions_group_id"), ["group_id"], unique=False)
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("helpful", sa.Integer(), nullable=False),
        sa.Column("not_helpful", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["question_groups.id"],
            name=op.f("fk_faq_entries_group_id_question_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_entries")),
    )
    with op.batch_alter_table("faq_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_faq_entries_community", ["platform", "community_id", "state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_faq_entries_group_id"), ["group_id"], unique=False)
    op.create_table(
        "faq_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("faq_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("feedback", sa.String(length=16), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["faq_id"],
            ["faq_entries.id"],
            name=op.f("fk_faq_deliveries_faq_id_faq_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["question_groups.id"],
            name=op.f("fk_faq_deliveries_group_id_question_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_faq_deliveries_question_id_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_deliveries")),
        sa.UniqueConstraint(
            "group_id", "member_id", name=op.f("uq_faq_deliveries_group_id_member_id")
        ),
    )
    with op.batch_alter_table("faq_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faq_deliveries_group_id"), ["group_id"], unique=False)
    op.create_table(
        "question_staff_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("member_name", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_staff_replies_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_staff_replies")),
    )
    with op.batch_alter_table("question_staff_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_staff_replies_question_id"), ["question_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("question_staff_replies")
    op.drop_table("faq_deliveries")
    op.drop_table("faq_entries")
    op.drop_table("questions")
    op.drop_table("question_groups")
    op.drop_table("question_channels")
    op.drop_table("question_settings")
