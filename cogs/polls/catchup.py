"""Results of a poll that closed but were never posted: the process that closed it died
between the close and the post. The close is one UPDATE and the post is remembered with
its key, so a closed poll with no remembered results is one whose post was lost."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, cast, literal, select

from bot.storage.database import Database
from bot.storage.models import SentMessage
from cogs.polls.models import CLOSED, Poll

# Older closes are not looked at: their sent messages may be pruned by then.
WINDOW = timedelta(days=1)


def results_key(poll_id: int) -> str:
    return f"poll-results:{poll_id}"


async def unposted_results(db: Database, now: datetime) -> list[int]:
    """Polls closed within the window whose results message was never sent."""
    posted = (
        select(SentMessage.id)
        .where(
            SentMessage.platform == Poll.platform,
            SentMessage.community_id == Poll.community_id,
            SentMessage.key == literal("poll-results:") + cast(Poll.id, String),
        )
        .exists()
    )
    async with db.session() as session:
        rows = await session.scalars(
            select(Poll.id)
            .where(Poll.state == CLOSED, Poll.closed_at >= now - WINDOW, ~posted)
            .order_by(Poll.id)
        )
        return list(rows)


async def results_posted(db: Database, platform: str, community_id: str, poll_id: int) -> bool:
    async with db.session() as session:
        found = await session.scalar(
            select(SentMessage.id)
            .where(
                SentMessage.platform == platform,
                SentMessage.community_id == community_id,
                SentMessage.key == results_key(poll_id),
            )
            .limit(1)
        )
        return found is not None
