"""dashboard: one-time sign-in links, kept as hashes

Revision ID: 0012_dashboard_sign_ins
Revises: 0010_crisis
Create Date: 2026-12-01 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0012_dashboard_sign_ins"
down_revision: str | Sequence[str] | None = "0010_crisis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_sign_ins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_sign_ins_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("dashboard_sign_ins")
