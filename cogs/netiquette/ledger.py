"""Strikes and the audit: what each member received, and who did what, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from bot.core.model import Community, Member
from bot.storage.database import Database
from cogs.netiquette.models import NetiquetteAudit, NetiquetteStrike


@dataclass(frozen=True, slots=True)
class StrikeView:
    id: int
    rule: str
    created_at: datetime
    expires_at: datetime


class Ledger:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def active_strikes(
        self, community: Community, member_id: str, now: datetime
    ) -> list[StrikeView]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(NetiquetteStrike)
                .where(
                    NetiquetteStrike.platform == community.platform,
                    NetiquetteStrike.community_id == community.id,
                    NetiquetteStrike.member_id == member_id,
                    NetiquetteStrike.pardoned_at.is_(None),
                    NetiquetteStrike.expires_at > now,
                )
                .order_by(NetiquetteStrike.id)
            )
            return [
                StrikeView(row.id, row.rule, row.created_at, row.expires_at) for row in rows.all()
            ]

    async def pardon(
        self, community: Community, strike_id: int, moderator: Member, now: datetime
    ) -> str | None:
        """Pardon an active strike; the member it belonged to, or None (unknown or done)."""
        async with self.db.session() as session:
            result = await session.execute(
                update(NetiquetteStrike)
                .where(
                    NetiquetteStrike.id == strike_id,
                    NetiquetteStrike.platform == community.platform,
                    NetiquetteStrike.community_id == community.id,
                    NetiquetteStrike.pardoned_at.is_(None),
                    NetiquetteStrike.expires_at > now,
                )
                .values(pardoned_by=moderator.id, pardoned_at=now)
            )
            if not bool(getattr(result, "rowcount", 0) == 1):
                return None
            strike = await session.get_one(NetiquetteStrike, strike_id)
            session.add(
                NetiquetteAudit(
                    platform=community.platform,
                    community_id=community.id,
                    review_id=strike.review_id,
                    action="pardoned",
                    actor_id=moderator.id,
                    member_id=strike.member_id,
                    rule=strike.rule,
                    at=now,
                )
            )
            return strike.member_id

    async def record(
        self,
        community: Community,
        action: str,
        now: datetime,
        *,
        member_id: str | None = None,
        rule: str | None = None,
        review_id: int | None = None,
        actor_id: str | None = None,
        detail: str = "",
    ) -> None:
        async with self.db.session() as session:
            session.add(
                NetiquetteAudit(
                    platform=community.platform,
                    community_id=community.id,
                    review_id=review_id,
                    action=action,
                    actor_id=actor_id,
                    member_id=member_id,
                    rule=rule,
                    detail=detail[:300],
                    at=now,
                )
            )

    async def audit_actions(self, community: Community) -> list[tuple[str, str | None]]:
        """(action, member) of every audit row, oldest first."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(NetiquetteAudit.action, NetiquetteAudit.member_id)
                .where(
                    NetiquetteAudit.platform == community.platform,
                    NetiquetteAudit.community_id == community.id,
                )
                .order_by(NetiquetteAudit.id)
            )
            return list(rows.tuples())
