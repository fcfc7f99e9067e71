"""calendar: announcements, live sessions' reminders, settings

Revision ID: 0011_calendar
Revises: 0007_poll_results
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision: str = "0011_calendar"
down_revision: str | Sequence[str] | None = "0007_poll_results"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    moment = bot.storage.base.UTCDateTime(timezone=True)
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=300), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("local_start", sa.String(length=19), nullable=False),
        sa.Column("ends_at", moment, nullable=True),
        sa.Column("next_at", moment, nullable=True),
        sa.Column("remind_minutes", sa.Integer(), nullable=False),
        sa.Column("reminded_at", moment, nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_announcements_community", ["platform", "community_id", "state"], unique=False
        )
        batch_op.create_index("ix_announcements_due", ["state", "next_at"], unique=False)
    op.create_table(
        "calendar_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_settings")),
        sa.UniqueConstraint(
            "platform", "community_id", name=op.f("uq_calendar_settings_platform_community_id")
        ),
    )
    op.create_table(
        "announcement_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", moment, nullable=False),
        sa.Column("sent_at", moment, nullable=True),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcements.id"],
            name=op.f("fk_announcement_reminders_announcement_id_announcements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement_reminders")),
        sa.UniqueConstraint(
            "announcement_id",
            "member_id",
            name=op.f("uq_announcement_reminders_announcement_id_member_id"),
        ),
    )
    with op.batch_alter_table("announcement_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_announcement_reminders_announcement_id"),
            ["announcement_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("announcement_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcement_reminders_announcement_id"))
    op.drop_table("announcement_reminders")
    op.drop_table("calendar_settings")
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_index("ix_announcements_due")
        batch_op.drop_index("ix_announcements_community")
    op.drop_table("announcements")
