"""Announcements claimed but never posted: the process that claimed one died before it
posted. A claim counts the post (`posts`) and the post is remembered with its key, so an
announcement with fewer remembered posts than counted ones lost its last post."""

from __future__ import annotations

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from bot.storage.database import Database
from bot.storage.models import SentMessage
from cogs.calendar.models import Announcement


def post_key(announcement_id: int) -> str:
    return f"calendar:{announcement_id}"


def _remembered_posts() -> ColumnElement[int]:
    return (
        select(func.count(SentMessage.id))
        .where(
            SentMessage.platform == Announcement.platform,
            SentMessage.community_id == Announcement.community_id,
            SentMessage.key == literal("calendar:") + cast(Announcement.id, String),
        )
        .scalar_subquery()
    )


async def unposted(db: Database, announcement_id: int | None = None) -> list[int]:
    """Announcements (or only this one) whose last claimed post is missing."""
    query = select(Announcement.id).where(Announcement.posts > _remembered_posts())
    if announcement_id is not None:
        query = query.where(Announcement.id == announcement_id)
    async with db.session() as session:
        return list(await session.scalars(query.order_by(Announcement.id)))
