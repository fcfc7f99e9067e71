"""netiquette: when a review's decision was carried out (repost, notices, escalation)

Revision ID: 0013_review_applied
Revises: 0012_dashboard_sign_ins
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision: str = "0013_review_applied"
down_revision: str | Sequence[str] | None = "0012_dashboard_sign_ins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("netiquette_reviews") as batch:
        batch.add_column(sa.Column("applied_at", UTCDateTime(timezone=True), nullable=True))
    # Decisions taken before this column existed were carried out when they were taken.
    op.execute("UPDATE netiquette_reviews SET applied_at = decided_at WHERE decided_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("netiquette_reviews") as batch:
        batch.drop_column("applied_at")
