"""Reading and changing a community's welcome settings."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community
from bot.storage.database import Database
from cogs.welcome.models import WelcomeSettings


@dataclass(frozen=True, slots=True)
class WelcomeConfig:
    enabled: bool = True
    channel_id: str | None = None
    greeting: str | None = None
    rules: str | None = None
    first_steps: str | None = None
    role: str | None = None
    send_dm: bool = True


EDITABLE = ("enabled", "channel_id", "greeting", "rules", "first_steps", "role", "send_dm")


# A change made by another process is seen within this many seconds.
REFRESH_SECONDS = 30.0


class WelcomeService:
    """Read at every join: cached per community, dropped on every change made here and
    read again within `refresh_seconds` of one made by another process."""

    def __init__(self, db: Database, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.db = db
        self.refresh_seconds = refresh_seconds
        self._cache: dict[tuple[str, str], tuple[WelcomeConfig, float]] = {}

    async def get(self, community: Community) -> WelcomeConfig:
        key = (community.platform, community.id)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[1] < self.refresh_seconds:
            return cached[0]
        async with self.db.session() as session:
            row = await session.scalar(self._query(community))
        config = (
            WelcomeConfig()
            if row is None
            else WelcomeConfig(**{name: getattr(row, name) for name in EDITABLE})
        )
        self._cache[key] = (config, now)
        return config

    async def update(self, community: Community, **changes: object) -> WelcomeConfig:
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not a welcome setting: {sorted(unknown)}")
        for attempt in range(2):
            try:
                async with self.db.session() as session:
                    row = await session.scalar(self._query(community))
                    if row is None:
                        row = WelcomeSettings(
                            platform=community.platform, community_id=community.id
                        )
                        session.add(row)
                    for name, value in changes.items():
                        setattr(row, name, value)
                break
            except IntegrityError:
                if attempt:
                    raise  # a concurrent first write happened; the retry updates the row it made
        self._cache.pop((community.platform, community.id), None)
        return await self.get(community)

    @staticmethod
    def _query(community: Community) -> Select[tuple[WelcomeSettings]]:
        return select(WelcomeSettings).where(
            WelcomeSettings.platform == community.platform,
            WelcomeSettings.community_id == community.id,
        )
