"""crisis: hourly and per-minute counts, recent complaints, alerts and settings

Revision ID: 0010_crisis
Revises: 0008_digest
Create Date: 2026-12-01 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0010_crisis"
down_revision: str | Sequence[str] | None = "0008_digest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _where() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "crisis_hours",
        *_where(),
        sa.Column("hour", UTCDateTime(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_hours")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "hour",
            name=op.f("uq_crisis_hours_platform_community_id_hour"),
        ),
    )
    op.create_table(
        "crisis_minutes",
        *_where(),
        sa.Column("minute", UTCDateTime(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_minutes")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "minute",
            name=op.f("uq_crisis_minutes_platform_community_id_minute"),
        ),
    )
    op.create_table(
        "crisis_complaints",
        *_where(),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("excerpt", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_complaints")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "message_id",
            name=op.f("uq_crisis_complaints_platform_community_id_message_id"),
        ),
    )
    op.create_index(
        "ix_crisis_complaints_at", "crisis_complaints", ["platform", "community_id", "at"]
    )
    op.create_table(
        "crisis_alerts",
        *_where(),
        sa.Column("open_key", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("last_spike_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("peak", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_alerts")),
        sa.UniqueConstraint("open_key", name=op.f("uq_crisis_alerts_open_key")),
    )
    op.create_table(
        "crisis_settings",
        *_where(),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("window_minutes", sa.Integer(), nullable=False),
        sa.Column("min_complaints", sa.Integer(), nullable=False),
        sa.Column("min_members", sa.Integer(), nullable=False),
        sa.Column("ratio", sa.Float(), nullable=False),
        sa.Column("z", sa.Float(), nullable=False),
        sa.Column("cooldown_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_settings")),
        sa.UniqueConstraint(
            "platform", "community_id", name=op.f("uq_crisis_settings_platform_community_id")
        ),
    )


def downgrade() -> None:
    for table in ("crisis_settings", "crisis_alerts", "crisis_complaints"):
        op.drop_table(table)
    op.drop_table("crisis_minutes")
    op.drop_table("crisis_hours")
