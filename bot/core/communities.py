"""Per-community settings the core owns: language and time zone."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.clock import Clock
from bot.core.i18n import LANGUAGES
from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.models import CommunityRow


class Communities:
    def __init__(
        self, db: Database, clock: Clock, default_language: str, default_timezone: str
    ) -> None:
        self._db = db
        self._clock = clock
        self.default_language = default_language
        self.default_timezone = default_timezone
        self._cache: dict[tuple[str, str], tuple[str, str]] = {}

    async def _row(self, community: Community) -> tuple[str, str]:
        cache_key = (community.platform, community.id)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        async with self._db.session() as session:
            row = await session.scalar(
                select(CommunityRow).where(
                    CommunityRow.platform == community.platform,
                    CommunityRow.community_id == community.id,
                )
            )
            if row is None:
                row = CommunityRow(
                    platform=community.platform,
                    community_id=community.id,
                    name=community.name[:200],
                    created_at=self._clock.now(),
                )
                session.add(row)
            found = (row.language or self.default_language, row.timezone or self.default_timezone)
        self._cache[cache_key] = found
        return found

    async def language(self, community: Community) -> str:
        return (await self._row(community))[0]

    async def timezone(self, community: Community) -> str:
        return (await self._row(community))[1]

    async def set_language(self, community: Community, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(language)
        await self._row(community)
        async with self._db.session() as session:
            row = await session.scalar(
                select(CommunityRow).where(
                    CommunityRow.platform == community.platform,
                    CommunityRow.community_id == community.id,
                )
            )
            if row is not None:
                row.language = language
        self._cache.pop((community.platform, community.id), None)
