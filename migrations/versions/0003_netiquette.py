"""netiquette: rules, categories and settings per community, reviews, reporters, strikes, audit

Revision ID: 0003_netiquette
Revises: 0002_core_vocabulary
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0003_netiquette"
down_revision: str | Sequence[str] | None = "0002_core_vocabulary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _community() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "netiquette_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        *_community(),
        sa.Column("review_channel_id", sa.String(length=64), nullable=True),
        sa.Column("exempt_staff", sa.Boolean(), nullable=False),
        sa.Column("reminder_seconds", sa.Integer(), nullable=False),
        sa.Column("strike_expiry_seconds", sa.Integer(), nullable=False),
        sa.Column("retention_seconds", sa.Integer(), nullable=False),
        sa.Column("escalation", sa.String(length=200), nullable=False),
        sa.Column("reports_held", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_settings")),
        sa.UniqueConstraint(
            "platform", "community_id", name=op.f("uq_netiquette_settings_platform_community_id")
        ),
    )
    op.create_table(
        "netiquette_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        *_community(),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_categories")),
        sa.UniqueConstraint(
            "platform",
            "community_id",
            "category",
            name=op.f("uq_netiquette_categories_platform_community_id_category"),
        ),
    )
    op.create_table(
        "netiquette_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        *_community(),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pattern", sa.String(length=300), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_rules")),
    )
    with op.batch_alter_table("netiquette_rules", schema=None) as batch_op:
        batch_op.create_index(
            "ix_netiquette_rules_community", ["platform", "community_id"], unique=False
        )
    op.create_table(
        "netiquette_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        *_community(),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("thread_of", sa.String(length=64), nullable=True),
        sa.Column("open_key", sa.String(length=220), nullable=True),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("author_name", sa.String(length=100), nullable=False),
        sa.Column("author_avatar", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("pattern", sa.String(length=300), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("hold", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("remind_at", UTCDateTime(), nullable=True),
        sa.Column("card_channel_id", sa.String(length=64), nullable=True),
        sa.Column("card_message_id", sa.String(length=64), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_by_name", sa.String(length=100), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("erase_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["netiquette_reviews.id"],
            name=op.f("fk_netiquette_reviews_parent_id_netiquette_reviews"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_reviews")),
        sa.UniqueConstraint("open_key", name=op.f("uq_netiquette_reviews_open_key")),
    )
    with op.batch_alter_table("netiquette_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_netiquette_reviews_parent_id"), ["parent_id"], unique=False
        )
        batch_op.create_index("ix_netiquette_reviews_state", ["state"], unique=False)
        batch_op.create_index(
            "ix_netiquette_reviews_message",
            ["platform", "community_id", "message_id"],
            unique=False,
        )
    op.create_table(
        "netiquette_reporters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["netiquette_reviews.id"],
            name=op.f("fk_netiquette_reporters_review_id_netiquette_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_reporters")),
        sa.UniqueConstraint(
            "review_id", "member_id", name=op.f("uq_netiquette_reporters_review_id_member_id")
        ),
    )
    with op.batch_alter_table("netiquette_reporters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_netiquette_reporters_review_id"), ["review_id"], unique=False
        )
    op.create_table(
        "netiquette_strikes",
        sa.Column("id", sa.Integer(), nullable=False),
        *_community(),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("pardoned_by", sa.String(length=64), nullable=True),
        sa.Column("pardoned_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["netiquette_reviews.id"],
            name=op.f("fk_netiquette_strikes_review_id_netiquette_reviews"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_strikes")),
    )
    with op.batch_alter_table("netiquette_strikes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_netiquette_strikes_member",
            ["platform", "community_id", "member_id"],
            unique=False,
        )
    op.create_table(
        "netiquette_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        *_community(),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("member_id", sa.String(length=64), nullable=True),
        sa.Column("rule", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["netiquette_reviews.id"],
            name=op.f("fk_netiquette_audit_review_id_netiquette_reviews"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_netiquette_audit")),
    )
    with op.batch_alter_table("netiquette_audit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_netiquette_audit_community", ["platform", "community_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("netiquette_audit")
    op.drop_table("netiquette_strikes")
    op.drop_table("netiquette_reporters")
    op.drop_table("netiquette_reviews")
    op.drop_table("netiquette_rules")
    op.drop_table("netiquette_categories")
    op.drop_table("netiquette_settings")
