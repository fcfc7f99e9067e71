"""core: the console keeps its members' messages, for reports, edits and replies

Revision ID: 0002_core_vocabulary
Revises: 0001
Create Date: 2026-12-01 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_core_vocabulary"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("channel_id", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("thread_of", sa.String(length=64), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_posts")),
        sa.UniqueConstraint(
            "community_id", "message_id", name=op.f("uq_console_posts_community_id_message_id")
        ),
    )
    with op.batch_alter_table("console_posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_console_posts_author", ["community_id", "author_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("console_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_console_posts_author")
    op.drop_table("console_posts")
