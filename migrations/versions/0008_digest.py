"""digest: activity rollups, settings, weekly runs and message tags

Revision ID: 0008_digest
Revises: 0011_calendar
Create Date: 2026-12-01 12:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0008_digest"
down_revision: str | Sequence[str] | None = "0011_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _where() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "digest_activity",
        _id(),
        *_where(),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("hour", UTCDateTime(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_activity")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "hour",
            "channel_id",
            name=op.f("uq_digest_activity_platform_community_id_hour_channel_id"),
        ),
    )
    op.create_table(
        "digest_member_days",
        _id(),
        *_where(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_member_days")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "day",
            "member_id",
            name=op.f("uq_digest_member_days_platform_community_id_day_member_id"),
        ),
    )
    op.create_table(
        "digest_member_flow",
        _id(),
        *_where(),
        sa.Column("hour", UTCDateTime(), nullable=False),
        sa.Column("joined", sa.Integer(), nullable=False),
        sa.Column("left", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_member_flow")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "hour",
            name=op.f("uq_digest_member_flow_platform_community_id_hour"),
        ),
    )
    op.create_table(
        "digest_posts",
        _id(),
        *_where(),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_posts")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "message_id",
            name=op.f("uq_digest_posts_platform_community_id_message_id"),
        ),
    )
    op.create_index(
        "ix_digest_posts_posted", "digest_posts", ["platform", "community_id", "posted_at"]
    )
    op.create_table(
        "digest_settings",
        _id(),
        *_where(),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=True),
        sa.Column("include", sa.String(length=200), nullable=False),
        sa.Column("names", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_settings")),
        sa.UniqueConstraint(
            "platform", "community_id", name=op.f("uq_digest_settings_platform_community_id")
        ),
    )
    op.create_table(
        "digest_runs",
        _id(),
        *_where(),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "week",
            name=op.f("uq_digest_runs_platform_community_id_week"),
        ),
    )
    op.create_table(
        "digest_tags",
        _id(),
        *_where(),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("tagged_by", sa.String(length=64), nullable=False),
        sa.Column("tagged_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_tags")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "message_id",
            "tag",
            name=op.f("uq_digest_tags_platform_community_id_message_id_tag"),
        ),
    )
    op.create_index("ix_digest_tags_tag", "digest_tags", ["platform", "community_id", "tag"])


def downgrade() -> None:
    op.drop_index("ix_digest_tags_tag", table_name="digest_tags")
    op.drop_table("digest_tags")
    op.drop_table("digest_runs")
    op.drop_table("digest_settings")
    op.drop_index("ix_digest_posts_posted", table_name="digest_posts")
    op.drop_table("digest_posts")
    op.drop_table("digest_member_flow")
    op.drop_table("digest_member_days")
    op.drop_table("digest_activity")
