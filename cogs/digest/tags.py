"""Tags staff put on members' messages, and the digest's tag report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.errors import UserFacingError
from bot.core.model import Community, PostedMessage
from bot.storage.database import Database
from cogs.digest.figures import percentiles
from cogs.digest.models import AwaitingPost, MessageTag

MAX_TAG = 40
_TAG = re.compile(r"^[\w-]+$")


def normalize(raw: str) -> str:
    """`#Campagna-Natale` → `campagna-natale`; letters of any script, digits, - and _."""
    tag = raw.strip().lstrip("#").casefold()
    if not tag or len(tag) > MAX_TAG or not _TAG.match(tag):
        raise UserFacingError("digest.tag_invalid", tag=raw.strip()[:MAX_TAG], max=MAX_TAG)
    return tag


@dataclass(frozen=True, slots=True)
class TagLine:
    tag: str
    messages: int
    answered: int
    median: timedelta | None


class TagService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _where(self, community: Community) -> list[ColumnElement[bool]]:
        return [MessageTag.platform == community.platform, MessageTag.community_id == community.id]

    async def tag(
        self, community: Community, target: PostedMessage, tag: str, by: str, now: datetime
    ) -> bool:
        """False when the message already had this tag (a double click adds nothing)."""
        try:
            async with self.db.session() as session:
                session.add(
                    MessageTag(
                        platform=community.platform,
                        community_id=community.id,
                        channel_id=target.ref.channel_id,
                        message_id=target.ref.message_id,
                        tag=tag,
                        tagged_by=by,
                        tagged_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def counts(self, community: Community) -> list[tuple[str, int]]:
        count = func.count(MessageTag.id)
        async with self.db.session() as session:
            rows = await session.execute(
                select(MessageTag.tag, count)
                .where(*self._where(community))
                .group_by(MessageTag.tag)
                .order_by(count.desc(), MessageTag.tag)
            )
            return [(tag, int(n)) for tag, n in rows]

    async def rename(self, community: Community, old: str, new: str) -> int:
        """Rename a tag everywhere, merging into `new` where a message has both; how many
        messages now carry `new` because of it."""
        async with self.db.session() as session:
            having_new = select(MessageTag.message_id).where(
                *self._where(community), MessageTag.tag == new
            )
            merged = await session.execute(
                delete(MessageTag).where(
                    *self._where(community),
                    MessageTag.tag == old,
                    MessageTag.message_id.in_(having_new),
                )
            )
            renamed = await session.execute(
                update(MessageTag)
                .where(*self._where(community), MessageTag.tag == old)
                .values(tag=new)
            )
            changed = int(renamed.rowcount) + int(merged.rowcount)  # type: ignore[attr-defined]
            if not changed:
                raise UserFacingError("digest.tag_unknown", tag=old)
            return changed

    async def report(self, community: Community, since: datetime, until: datetime) -> list[TagLine]:
        """Messages tagged in the week; answered means a reply from the team (moderators,
        staff, admins) to a member's post, timed from the post."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(MessageTag.tag, AwaitingPost.posted_at, AwaitingPost.answered_at)
                .outerjoin(
                    AwaitingPost,
                    (AwaitingPost.platform == MessageTag.platform)
                    & (AwaitingPost.community_id == MessageTag.community_id)
                    & (AwaitingPost.message_id == MessageTag.message_id),
                )
                .where(
                    *self._where(community),
                    MessageTag.tagged_at >= since,
                    MessageTag.tagged_at < until,
                )
            )
            by_tag: dict[str, list[timedelta | None]] = {}
            for tag, posted, answered in rows:
                delay = answered - posted if posted is not None and answered is not None else None
                by_tag.setdefault(tag, []).append(delay)
        lines = []
        for tag, delays in by_tag.items():
            known = sorted(delay for delay in delays if delay is not None)
            lines.append(TagLine(tag, len(delays), len(known), percentiles(known)[0]))
        return sorted(lines, key=lambda line: (-line.messages, line.tag))
