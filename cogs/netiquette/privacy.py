"""What netiquette keeps about a member: their held or reported posts, the reports they
made, their strikes. Erasure takes the decided posts' text and unlinks the reports; strikes
stay until they expire, like a pending review until moderators decide."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select, update

from bot.core.privacy import DataSubject, erased_id
from bot.storage.database import Database
from cogs.netiquette.models import PENDING, NetiquetteReporter, NetiquetteReview, NetiquetteStrike


def _reviews_in(subject: DataSubject) -> ColumnElement[bool]:
    return and_(
        NetiquetteReview.platform == subject.platform,
        NetiquetteReview.community_id == subject.community_id,
    )


class NetiquetteData:
    def __init__(
        self, db: Database, refresh_card: Callable[[int], Awaitable[None]] | None = None
    ) -> None:
        self.db = db
        # The moderators' card quotes the post: drawn again once its text is gone.
        self.refresh_card = refresh_card

    async def _erased(self, review_ids: Sequence[int]) -> None:
        if self.refresh_card is not None:
            for review_id in review_ids:
                await self.refresh_card(review_id)

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        reviews = select(
            NetiquetteReview.text,
            NetiquetteReview.rule,
            NetiquetteReview.state,
            NetiquetteReview.created_at,
            NetiquetteReview.decided_at,
        ).where(_reviews_in(subject), NetiquetteReview.author_id == subject.member_id)
        reports = (
            select(NetiquetteReporter.reported_at)
            .join(NetiquetteReview, NetiquetteReview.id == NetiquetteReporter.review_id)
            .where(_reviews_in(subject), NetiquetteReporter.member_id == subject.member_id)
        )
        strikes = select(
            NetiquetteStrike.rule, NetiquetteStrike.created_at, NetiquetteStrike.expires_at
        ).where(
            NetiquetteStrike.platform == subject.platform,
            NetiquetteStrike.community_id == subject.community_id,
            NetiquetteStrike.member_id == subject.member_id,
        )
        async with self.db.session() as session:
            held = (await session.execute(reviews.order_by(NetiquetteReview.id))).all()
            made = (await session.scalars(reports)).all()
            given = (await session.execute(strikes.order_by(NetiquetteStrike.id))).all()
        found: dict[str, object] = {}
        if held:
            found["posts_reviewed"] = [
                {"text": text, "rule": rule, "state": state, "at": at, "decided_at": decided}
                for text, rule, state, at, decided in held
            ]
        if made:
            found["reports_made"] = [{"reported_at": at} for at in made]
        if given:
            found["strikes"] = [
                {"rule": rule, "at": at, "expires_at": expires} for rule, at, expires in given
            ]
        return found

    async def erase(self, subject: DataSubject) -> int:
        in_community = select(NetiquetteReview.id).where(_reviews_in(subject))
        decided = select(NetiquetteReview.id).where(
            _reviews_in(subject),
            NetiquetteReview.author_id == subject.member_id,
            NetiquetteReview.state != PENDING,
        )
        async with self.db.session() as session:
            review_ids = (await session.scalars(decided)).all()
            posts = await session.execute(
                update(NetiquetteReview)
                .where(NetiquetteReview.id.in_(review_ids))
                .values(
                    text=None,
                    author_id=erased_id(NetiquetteReview.id),
                    author_name="",
                    author_avatar=None,
                )
            )
            reports = await session.execute(
                update(NetiquetteReporter)
                .where(
                    NetiquetteReporter.review_id.in_(in_community),
                    NetiquetteReporter.member_id == subject.member_id,
                )
                .values(member_id=erased_id(NetiquetteReporter.id))
            )
        await self._erased(review_ids)
        return int(posts.rowcount or 0) + int(reports.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        expired = select(NetiquetteReview.id).where(
            NetiquetteReview.created_at < before,
            NetiquetteReview.state != PENDING,
            NetiquetteReview.text.is_not(None),
        )
        async with self.db.session() as session:
            review_ids = (await session.scalars(expired)).all()
            if review_ids:
                await session.execute(
                    update(NetiquetteReview)
                    .where(NetiquetteReview.id.in_(review_ids))
                    .values(text=None, erase_at=None)
                )
        await self._erased(review_ids)
        return len(review_ids)
