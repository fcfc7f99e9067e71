"""Asks every cog for what it keeps about a member, through `Cog.personal_data`: one JSON
document to export, one erasure, one pass of the text retention."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from bot.core.privacy import DataSubject, PersonalData
from bot.core.services import Services
from bot.storage.models import KnownMember

log = logging.getLogger(__name__)


class PrivacyService:
    def __init__(self, services: Services) -> None:
        self.services = services

    def _providers(self) -> Iterator[tuple[str, PersonalData]]:
        for cog in self.services.cogs:
            data = cog.personal_data()
            if data is not None:
                yield cog.name, data

    async def _membership(self, subject: DataSubject) -> dict[str, object]:
        async with self.services.db.session() as session:
            row = await session.scalar(
                select(KnownMember).where(
                    KnownMember.platform == subject.platform,
                    KnownMember.community_id == subject.community_id,
                    KnownMember.member_id == subject.member_id,
                )
            )
        if row is None:
            return {}
        return {
            "name": row.name,
            "roles": row.roles.split(","),
            "joined_at": row.joined_at.isoformat(),
            "left_at": row.left_at.isoformat() if row.left_at else None,
        }

    async def export(self, subject: DataSubject) -> bytes:
        """The member's data as a JSON document: the membership, then each cog's part."""
        sections: dict[str, object] = {}
        for name, data in self._providers():
            section = dict(await data.export(subject))
            if section:
                sections[name] = section
        document: dict[str, object] = {
            "platform": subject.platform,
            "community": subject.community_id,
            "member": subject.member_id,
            "exported_at": self.services.clock.now().isoformat(),
            "membership": await self._membership(subject),
            "data": sections,
        }
        return json.dumps(document, ensure_ascii=False, indent=2, default=_iso).encode("utf-8")

    async def erase(self, subject: DataSubject) -> int:
        """Every cog erases its part; one failing does not keep the others from theirs."""
        changed = 0
        failed: list[str] = []
        for name, data in self._providers():
            try:
                changed += await data.erase(subject)
            except Exception:
                log.exception("erasure failed", extra={"cog": name})
                failed.append(name)
        if failed:
            raise ErasureIncomplete(changed, failed)
        return changed

    async def expire(self, before: datetime) -> int:
        changed = 0
        for name, data in self._providers():
            try:
                changed += await data.expire(before)
            except Exception:
                log.exception("text retention failed", extra={"cog": name})
        if changed:
            log.info("stored text erased past its retention", extra={"rows": changed})
        return changed


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not exported")


class ErasureIncomplete(Exception):
    """Some cogs could not erase their part: the member is told to try again."""

    def __init__(self, changed: int, failed: list[str]) -> None:
        super().__init__(", ".join(failed))
        self.changed = changed
        self.failed = failed
