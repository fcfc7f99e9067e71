"""Reading and changing a community's welcome settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community
from bot.core.per_community import REFRESH_SECONDS, PerCommunity
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


class WelcomeService:
    """Read at every join: kept per community (bot/core/per_community.py)."""

    def __init__(self, db: Database, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.db = db
        self.kept = PerCommunity(self._read, refresh_seconds)

    async def get(self, community: Community) -> WelcomeConfig:
        return await self.kept.get(community)

    async def _read(self, community: Community) -> WelcomeConfig:
        async with self.db.session() as session:
            row = await session.scalar(self._query(community))
        if row is None:
            return WelcomeConfig()
        return WelcomeConfig(**{name: getattr(row, name) for name in EDITABLE})

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
        self.kept.forget(community)
        return await self.get(community)

    @staticmethod
    def _query(community: Community) -> Select[tuple[WelcomeSettings]]:
        return select(WelcomeSettings).where(
            WelcomeSettings.platform == community.platform,
            WelcomeSettings.community_id == community.id,
        )
