"""Per-community settings the core owns: language and time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.clock import Clock
from bot.core.i18n import LANGUAGES
from bot.core.model import Community
from bot.core.per_community import REFRESH_SECONDS, PerCommunity
from bot.storage.database import Database
from bot.storage.models import CommunityRow


class Communities:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        default_language: str,
        default_timezone: str,
        *,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self._db = db
        self._clock = clock
        self.default_language = default_language
        self.default_timezone = default_timezone
        # Read on every command and button press: kept per community (per_community.py).
        self._kept = PerCommunity(self._read, refresh_seconds)

    @staticmethod
    def _query(community: Community) -> Select[tuple[CommunityRow]]:
        return select(CommunityRow).where(
            CommunityRow.platform == community.platform,
            CommunityRow.community_id == community.id,
        )

    async def _row(self, session: AsyncSession, community: Community) -> CommunityRow:
        row = await session.scalar(self._query(community))
        if row is None:
            row = CommunityRow(
                platform=community.platform,
                community_id=community.id,
                name=community.name[:200],
                created_at=self._clock.now(),
            )
            session.add(row)
            await session.flush()
        return row

    async def _read(self, community: Community) -> tuple[str, str]:
        for attempt in range(2):
            try:
                async with self._db.session() as session:
                    row = await self._row(session, community)
                    found = (
                        row.language or self.default_language,
                        row.timezone or self.default_timezone,
                    )
                break
            except IntegrityError:
                if attempt:  # another event of a new community recorded it first: read it
                    raise
        return found

    async def language(self, community: Community) -> str:
        return (await self._kept.get(community))[0]

    async def timezone(self, community: Community) -> str:
        return (await self._kept.get(community))[1]

    async def set_language(self, community: Community, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(language)
        async with self._db.session() as session:
            (await self._row(session, community)).language = language
        self._kept.forget(community)

    async def set_timezone(self, community: Community, timezone: str) -> None:
        """An IANA name (Europe/Rome); ValueError for one the system does not know."""
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(timezone) from None
        async with self._db.session() as session:
            (await self._row(session, community)).timezone = timezone
        self._kept.forget(community)
