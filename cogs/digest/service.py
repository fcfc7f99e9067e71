"""The digest's settings and its weekly claims: each week's digest is posted once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.models import CommunityRow
from cogs.digest.models import DigestRun, DigestSettings


@dataclass(frozen=True, slots=True)
class Settings:
    weekday: int = 0
    hour: int = 9
    channel_id: str | None = None
    include: tuple[str, ...] = ()  # empty: every section
    names: bool = False

    def includes(self, section: str) -> bool:
        return not self.include or section in self.include


def _settings(row: DigestSettings | None) -> Settings:
    if row is None:
        return Settings()
    include = tuple(part for part in row.include.split(",") if part)
    return Settings(row.weekday, row.hour, row.channel_id, include, row.names)


class DigestService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def settings(self, community: Community) -> Settings:
        async with self.db.session() as session:
            row = await session.scalar(
                select(DigestSettings).where(
                    DigestSettings.platform == community.platform,
                    DigestSettings.community_id == community.id,
                )
            )
            return _settings(row)

    async def change(self, community: Community, **values: object) -> Settings:
        """Change some settings; `include` is given as a tuple, a channel as its id or None."""
        if "include" in values:
            values["include"] = ",".join(values["include"])  # type: ignore[arg-type]
        for attempt in range(2):
            try:
                async with self.db.session() as session:
                    row = await session.scalar(
                        select(DigestSettings).where(
                            DigestSettings.platform == community.platform,
                            DigestSettings.community_id == community.id,
                        )
                    )
                    if row is None:
                        row = DigestSettings(
                            platform=community.platform,
                            community_id=community.id,
                            weekday=0,
                            hour=9,
                            include="",
                            names=False,
                        )
                        session.add(row)
                    for name, value in values.items():
                        setattr(row, name, value)
                    await session.flush()
                    return _settings(row)
            except IntegrityError:
                if attempt:  # another process created the row first: change that one
                    raise
        raise AssertionError("unreachable")

    async def communities(self) -> list[tuple[Community, datetime]]:
        """Every community the bot knows, with when it first saw it."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    CommunityRow.platform,
                    CommunityRow.community_id,
                    CommunityRow.name,
                    CommunityRow.created_at,
                )
            )
            return [(Community(p, c, n), created) for p, c, n, created in rows]

    async def posted(self, community: Community, week: date) -> bool:
        async with self.db.session() as session:
            found = await session.scalar(
                select(DigestRun.id).where(
                    DigestRun.platform == community.platform,
                    DigestRun.community_id == community.id,
                    DigestRun.week == week,
                )
            )
            return found is not None

    async def claim(self, community: Community, week: date, now: datetime) -> bool:
        """True for the one process that gets to post this week's digest."""
        try:
            async with self.db.session() as session:
                session.add(
                    DigestRun(
                        platform=community.platform,
                        community_id=community.id,
                        week=week,
                        claimed_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def release(self, community: Community, week: date) -> None:
        """The post failed: let the next attempt claim the week again."""
        async with self.db.session() as session:
            await session.execute(
                delete(DigestRun).where(
                    DigestRun.platform == community.platform,
                    DigestRun.community_id == community.id,
                    DigestRun.week == week,
                    DigestRun.message_id.is_(None),
                )
            )

    async def done(self, community: Community, week: date, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(DigestRun)
                .where(
                    DigestRun.platform == community.platform,
                    DigestRun.community_id == community.id,
                    DigestRun.week == week,
                )
                .values(message_id=message_id)
            )
