"""The review queue's state changes, each one conditional so that it happens once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community, Member, PostedMessage
from cogs.netiquette.ledger import Ledger
from cogs.netiquette.models import (
    APPROVED,
    PENDING,
    WITHDRAWN,
    NetiquetteAudit,
    NetiquetteReporter,
    NetiquetteReview,
    NetiquetteStrike,
)


@dataclass(frozen=True, slots=True)
class Finding:
    """Why a message enters the queue: the rule that fired, or a member's report."""

    rule: str
    category: str
    span: tuple[int, int] | None = None
    pattern: str | None = None  # a community rule's pattern: shown to moderators only


def _open_key(platform: str, community_id: str, channel_id: str, message_id: str) -> str:
    return f"{platform}:{community_id}:{channel_id}:{message_id}"[:220]


def _changed(result: object) -> bool:
    return bool(getattr(result, "rowcount", 0) == 1)


class ReviewService(Ledger):
    """Reviews; strikes and the audit come from the ledger, on the same database."""

    async def open(
        self,
        message: PostedMessage,
        finding: Finding,
        *,
        hold: str,
        now: datetime,
        remind_at: datetime | None,
        thread_of: str | None = None,
        parent_id: int | None = None,
    ) -> tuple[int, bool]:
        """The pending review of `message`, created if there is none; True when created."""
        ref = message.ref
        key = _open_key(ref.platform, ref.community_id, ref.channel_id, ref.message_id)
        for _ in range(3):
            try:
                async with self.db.session() as session:
                    row = NetiquetteReview(
                        platform=ref.platform,
                        community_id=ref.community_id,
                        channel_id=ref.channel_id,
                        message_id=ref.message_id,
                        thread_of=thread_of,
                        open_key=key,
                        author_id=message.author.id,
                        author_name=message.author.shown_name[:100],
                        author_avatar=(message.author.avatar_url or None),
                        text=message.text,
                        rule=finding.rule[:64],
                        category=finding.category[:32],
                        pattern=finding.pattern,
                        span_start=finding.span[0] if finding.span else None,
                        span_end=finding.span[1] if finding.span else None,
                        hold=hold,
                        parent_id=parent_id,
                        reports=0,
                        state=PENDING,
                        created_at=now,
                        remind_at=remind_at,
                    )
                    session.add(row)
                    await session.flush()
                    return row.id, True
            except IntegrityError:
                pass  # already in the queue: the same message flagged, edited or reported
            async with self.db.session() as session:
                existing = await session.scalar(
                    select(NetiquetteReview.id).where(NetiquetteReview.open_key == key)
                )
            if existing is not None:
                return existing, False
            # Decided between the two reads: open a fresh review.
        raise RuntimeError("could not open a review")

    async def pending_for(
        self, community: Community, channel_id: str, message_id: str
    ) -> int | None:
        key = _open_key(community.platform, community.id, channel_id, message_id)
        async with self.db.session() as session:
            found: int | None = await session.scalar(
                select(NetiquetteReview.id).where(NetiquetteReview.open_key == key)
            )
            return found

    async def lead_for(self, community: Community, author_id: str, rule: str) -> int | None:
        """The author's pending review for `rule` that later messages may follow."""
        async with self.db.session() as session:
            found: int | None = await session.scalar(
                select(NetiquetteReview.id)
                .where(
                    NetiquetteReview.platform == community.platform,
                    NetiquetteReview.community_id == community.id,
                    NetiquetteReview.author_id == author_id,
                    NetiquetteReview.rule == rule,
                    NetiquetteReview.state == PENDING,
                    NetiquetteReview.parent_id.is_(None),
                )
                .order_by(NetiquetteReview.id.desc())
                .limit(1)
            )
            return found

    async def followers(self, review_id: int) -> list[NetiquetteReview]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(NetiquetteReview)
                .where(NetiquetteReview.parent_id == review_id)
                .order_by(NetiquetteReview.id)
            )
            return list(rows.all())

    async def add_report(self, review_id: int, member_id: str, now: datetime) -> int | None:
        """Count a member's report once; the new count, or None for a repeated report."""
        try:
            async with self.db.session() as session:
                session.add(
                    NetiquetteReporter(review_id=review_id, member_id=member_id, reported_at=now)
                )
                await session.flush()
                await session.execute(
                    update(NetiquetteReview)
                    .where(NetiquetteReview.id == review_id)
                    .values(reports=NetiquetteReview.reports + 1)
                )
                count = await session.scalar(
                    select(NetiquetteReview.reports).where(NetiquetteReview.id == review_id)
                )
                return int(count or 0)
        except IntegrityError:
            return None

    async def attach_card(self, review_id: int, channel_id: str, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(NetiquetteReview)
                .where(NetiquetteReview.id == review_id)
                .values(card_channel_id=channel_id, card_message_id=message_id)
            )

    async def view(self, review_id: int) -> NetiquetteReview | None:
        async with self.db.session() as session:
            return await session.get(NetiquetteReview, review_id)

    async def decide(
        self,
        review_id: int,
        decision: str,
        moderator: Member,
        now: datetime,
        *,
        erase_at: datetime,
        strike_expires: datetime,
    ) -> bool:
        """Decide a pending review; True only for the one call that decided it. The strike
        and the audit row are written in the same transaction as the decision."""
        async with self.db.session() as session:
            result = await session.execute(
                update(NetiquetteReview)
                .where(NetiquetteReview.id == review_id, NetiquetteReview.state == PENDING)
                .values(
                    state=decision,
                    open_key=None,
                    remind_at=None,
                    decided_by=moderator.id,
                    decided_by_name=moderator.shown_name[:100],
                    decided_at=now,
                    erase_at=erase_at,
                )
            )
            if not _changed(result):
                return False
            await session.execute(
                update(NetiquetteReview)
                .where(NetiquetteReview.parent_id == review_id, NetiquetteReview.state == PENDING)
                .values(
                    state=decision,
                    open_key=None,
                    decided_by=moderator.id,
                    decided_by_name=moderator.shown_name[:100],
                    decided_at=now,
                    erase_at=erase_at,
                )
            )
            review = await session.get_one(NetiquetteReview, review_id)
            if decision != APPROVED:
                session.add(
                    NetiquetteStrike(
                        platform=review.platform,
                        community_id=review.community_id,
                        member_id=review.author_id,
                        review_id=review_id,
                        rule=review.rule,
                        created_at=now,
                        expires_at=strike_expires,
                    )
                )
            session.add(
                NetiquetteAudit(
                    platform=review.platform,
                    community_id=review.community_id,
                    review_id=review_id,
                    action=decision,
                    actor_id=moderator.id,
                    member_id=review.author_id,
                    rule=review.rule,
                    at=now,
                )
            )
            return True

    async def withdraw(self, review_id: int, now: datetime, erase_at: datetime) -> bool:
        """The author deleted a message still in sight before anyone decided."""
        async with self.db.session() as session:
            result = await session.execute(
                update(NetiquetteReview)
                .where(NetiquetteReview.id == review_id, NetiquetteReview.state == PENDING)
                .values(
                    state=WITHDRAWN,
                    open_key=None,
                    remind_at=None,
                    decided_at=now,
                    erase_at=erase_at,
                )
            )
            if not _changed(result):
                return False
            review = await session.get_one(NetiquetteReview, review_id)
            session.add(
                NetiquetteAudit(
                    platform=review.platform,
                    community_id=review.community_id,
                    review_id=review_id,
                    action=WITHDRAWN,
                    member_id=review.author_id,
                    rule=review.rule,
                    at=now,
                )
            )
            return True

    async def mark_reminded(self, review_id: int) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(NetiquetteReview)
                .where(
                    NetiquetteReview.id == review_id,
                    NetiquetteReview.state == PENDING,
                    NetiquetteReview.remind_at.is_not(None),
                )
                .values(remind_at=None)
            )
            return _changed(result)

    async def erase(self, review_id: int) -> bool:
        """Forget a decided review's text, once its retention is over."""
        async with self.db.session() as session:
            result = await session.execute(
                update(NetiquetteReview)
                .where(
                    NetiquetteReview.id == review_id,
                    NetiquetteReview.state != PENDING,
                    NetiquetteReview.text.is_not(None),
                )
                .values(text=None, erase_at=None)
            )
            return _changed(result)

    async def reminders(self) -> list[tuple[int, datetime]]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(NetiquetteReview.id, NetiquetteReview.remind_at).where(
                    NetiquetteReview.state == PENDING, NetiquetteReview.remind_at.is_not(None)
                )
            )
            return [(rid, when) for rid, when in rows.tuples() if when is not None]

    async def erasures(self) -> list[tuple[int, datetime]]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(NetiquetteReview.id, NetiquetteReview.erase_at).where(
                    NetiquetteReview.erase_at.is_not(None), NetiquetteReview.text.is_not(None)
                )
            )
            return [(rid, when) for rid, when in rows.tuples() if when is not None]

    async def pending_count(self, community: Community) -> int:
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(NetiquetteReview)
                .where(
                    NetiquetteReview.platform == community.platform,
                    NetiquetteReview.community_id == community.id,
                    NetiquetteReview.state == PENDING,
                )
            )
            return int(count or 0)
