"""The review queue's state changes, each one conditional so that it happens once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community, Member, PostedMessage
from bot.storage.database import Database
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


@dataclass(frozen=True, slots=True)
class StrikeView:
    id: int
    rule: str
    created_at: datetime
    expires_at: datetime


def _open_key(platform: str, community_id: str, channel_id: str, message_id: str) -> str:
    return f"{platform}:{community_id}:{channel_id}:{message_id}"[:220]


def _changed(result: object) -> bool:
    return bool(getattr(result, "rowcount", 0) == 1)


class ReviewService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def open(
        self,
        message: PostedMessage,
        finding: Finding,
        *,
        hold: str,
        now: datetime,
        remind_at: datetime | None,
        thread_of: str | None = None,
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

    # -- strikes and the audit -------------------------------------------------------

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
            if not _changed(result):
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
