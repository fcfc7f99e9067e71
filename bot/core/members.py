"""The members the bot has seen join and leave: growth for the digest, the console's roster."""

from __future__ import annotations

import functools

from sqlalchemy import select

from bot.core.model import Community, Member
from bot.core.services import Services
from bot.storage.models import KnownMember
from bot.storage.prepared import Prepared
from bot.storage.upsert import compiled_once, dialect_insert


async def remember_join(services: Services, community: Community, member: Member) -> None:
    """One upsert: a newcomer's row, or a returning member's joined again."""
    async with services.db.writing() as session:
        await _joins(services.db.dialect).rows(
            session,
            {
                "platform": community.platform,
                "community_id": community.id,
                "member_id": member.id,
                "name": member.shown_name[:100],
                "roles": ",".join(sorted(role.value for role in member.roles)),
                "joined_at": services.clock.now(),
            },
        )


@functools.cache
def _joins(dialect: str) -> Prepared:
    """Built once for the dialect: no read before the write, so on SQLite no transaction
    that read first and then finds the write lock taken."""
    insert = dialect_insert(dialect, KnownMember)
    upsert = insert.on_conflict_do_update(
        index_elements=["platform", "community_id", "member_id"],
        set_={
            "left_at": None,
            "joined_at": insert.excluded.joined_at,
            "name": insert.excluded.name,
        },
    )
    columns = ("platform", "community_id", "member_id", "name", "roles", "joined_at")
    return Prepared(compiled_once(upsert, dialect, columns))


async def remember_leave(services: Services, community: Community, member: Member) -> None:
    async with services.db.session() as session:
        row = await session.scalar(
            select(KnownMember).where(
                KnownMember.platform == community.platform,
                KnownMember.community_id == community.id,
                KnownMember.member_id == member.id,
            )
        )
        if row is not None:
            row.left_at = services.clock.now()
