"""What the crisis alert keeps about a member: their recent complaints (a day at most).
Erased, they are deleted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, select

from bot.core.privacy import DataSubject
from bot.storage.database import Database
from cogs.crisis.models import CrisisComplaint


def _theirs(subject: DataSubject) -> ColumnElement[bool]:
    return and_(
        CrisisComplaint.platform == subject.platform,
        CrisisComplaint.community_id == subject.community_id,
        CrisisComplaint.member_id == subject.member_id,
    )


class CrisisData:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        query = select(CrisisComplaint.excerpt, CrisisComplaint.at).where(_theirs(subject))
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return {}
        return {"complaints": [{"excerpt": excerpt, "at": at} for excerpt, at in rows]}

    async def erase(self, subject: DataSubject) -> int:
        async with self.db.session() as session:
            result = await session.execute(delete(CrisisComplaint).where(_theirs(subject)))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        return 0  # complaints are erased after a day by the cog itself
