"""A decision is one UPDATE; what follows it (the repost, the author's notice, escalation)
comes after, and is marked done at the end. A review decided and never marked was left
half done by a process that died: the next start carries it out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update

from bot.core.model import Community
from bot.storage.database import Database
from cogs.netiquette.models import DECISIONS, NetiquetteReview

if TYPE_CHECKING:
    from cogs.netiquette.review import ReviewQueue

UNDONE = "netiquette-undone"  # the deadline kind of a decision to carry out again
# Older decisions are not looked at again: a repost a day late would confuse more than help.
WINDOW = timedelta(days=1)


async def left_undone(db: Database, now: datetime) -> list[int]:
    """Reviews (not their followers) decided within the window and never carried out."""
    async with db.session() as session:
        rows = await session.scalars(
            select(NetiquetteReview.id)
            .where(
                NetiquetteReview.state.in_(DECISIONS),
                NetiquetteReview.parent_id.is_(None),
                NetiquetteReview.applied_at.is_(None),
                NetiquetteReview.decided_at >= now - WINDOW,
            )
            .order_by(NetiquetteReview.id)
        )
        return list(rows)


async def mark_applied(db: Database, review_id: int, now: datetime) -> bool:
    """Mark a review and its followers carried out; True for the one caller that did."""
    async with db.session() as session:
        result = await session.execute(
            update(NetiquetteReview)
            .where(
                or_(NetiquetteReview.id == review_id, NetiquetteReview.parent_id == review_id),
                NetiquetteReview.applied_at.is_(None),
            )
            .values(applied_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def carry_out_undone(queue: ReviewQueue, key: str) -> None:
    """Carry out a decision that a process took and died before carrying out."""
    review = await queue.reviews.view(int(key))
    if review is None or review.state not in DECISIONS or review.applied_at is not None:
        return
    if queue.services.scheduler.defer_if_recent(UNDONE, key, review.decided_at):
        return
    community = Community(review.platform, review.community_id, "")
    followers = await queue.reviews.followers(review.id)
    await queue.refresh_card(review.id)
    renderer = await queue.renderer(community)
    now = queue.services.clock.now()
    await queue.carry_out(community, review, followers, review.state, renderer, now)
