"""The members the bot has seen join and leave: growth for the digest, the console's roster."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community, Member
from bot.core.services import Services
from bot.storage.models import KnownMember


async def remember_join(services: Services, community: Community, member: Member) -> None:
    now = services.clock.now()
    roles = ",".join(sorted(role.value for role in member.roles))
    try:
        async with services.db.session() as session:
            row = await session.scalar(
                select(KnownMember).where(
                    KnownMember.platform == community.platform,
                    KnownMember.community_id == community.id,
                    KnownMember.member_id == member.id,
                )
            )
            if row is None:
                session.add(
                    KnownMember(
                        platform=community.platform,
                        community_id=community.id,
                        member_id=member.id,
                        name=member.shown_name[:100],
                        roles=roles,
                        joined_at=now,
                    )
                )
            else:
                row.left_at = None
                row.joined_at = now
                row.name = member.shown_name[:100]
    except IntegrityError:
        pass  # another process recorded the same join first


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
