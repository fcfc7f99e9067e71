"""What other cogs keep that counts as a complaint, read and never written: the reviews
the netiquette cog opened (flagged posts, members' reports) and many members asking about
one problem (the recurring-questions cog's groups). Either cog may not be installed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.core.model import Community
from bot.storage.base import UTCDateTime
from bot.storage.database import Database

ASKERS = 3  # members asking the same question in the window: a problem, not curiosity
# Reviews the netiquette cog opened (flagged posts, members' reports), read, never written.
REVIEWS = text(
    "SELECT created_at AS at, NULL AS member_id FROM netiquette_reviews "
    "WHERE platform = :platform AND community_id = :community AND created_at > :since "
    "AND parent_id IS NULL"
).columns(at=UTCDateTime(), member_id=String())


# Many members asking about one problem (the recurring-questions cog's groups, read only):
# the questions that hint at a problem, kept here, in groups that many members joined.
HINTED = (
    "FROM questions WHERE platform = :platform AND community_id = :community "
    "AND asked_at > :since AND message_id IN (SELECT message_id FROM crisis_complaints "
    "WHERE platform = :platform AND community_id = :community AND source = 'question')"
)
ASKED = text(
    f"SELECT asked_at AS at, member_id {HINTED} AND group_id IN (SELECT group_id {HINTED} "
    "GROUP BY group_id HAVING count(DISTINCT member_id) >= :members)"
).columns(at=UTCDateTime(), member_id=String())


async def others_signals(
    db: Database, query: Any, community: Community, since: datetime, **extra: int
) -> list[tuple[datetime, str | None]]:
    """Signals other cogs keep (reports, groups of questions): (when, member)."""
    params = {"platform": community.platform, "community": community.id, "since": since}
    try:
        async with db.session() as session:
            rows = await session.execute(query, {**params, **extra})
            return [(moment, member) for moment, member in rows]
    except (OperationalError, ProgrammingError):
        return []  # that cog's tables are not in this database
