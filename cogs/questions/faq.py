"""The FAQ: entries staff wrote, the answers it gave, and what members thought of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community
from bot.storage.database import Database
from cogs.questions.models import ACTIVE, REMOVED, FaqDelivery, FaqEntry

HELPFUL = "helpful"
NOT_HELPFUL = "not_helpful"


@dataclass(frozen=True, slots=True)
class FaqView:
    id: int
    platform: str
    community_id: str
    group_id: int | None
    question: str
    answer: str
    vector: bytes
    helpful: int
    not_helpful: int

    @classmethod
    def of(cls, row: FaqEntry) -> FaqView:
        return cls(
            row.id,
            row.platform,
            row.community_id,
            row.group_id,
            row.question,
            row.answer,
            row.vector,
            row.helpful,
            row.not_helpful,
        )


class Feedback(StrEnum):
    COUNTED = "counted"
    ALREADY = "already"
    NOT_YOURS = "not_yours"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    outcome: Feedback
    entry: FaqView | None = None
    group_id: int | None = None


class FaqService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        community: Community,
        question: str,
        answer: str,
        vector: bytes,
        author_id: str,
        now: datetime,
        group_id: int | None = None,
    ) -> FaqView:
        async with self.db.session() as session:
            row = FaqEntry(
                platform=community.platform,
                community_id=community.id,
                group_id=group_id,
                question=question,
                answer=answer,
                vector=vector,
                state=ACTIVE,
                created_by=author_id,
                created_at=now,
                updated_at=now,
                helpful=0,
                not_helpful=0,
            )
            session.add(row)
            await session.flush()
            return FaqView.of(row)

    async def edit(
        self,
        entry_id: int,
        now: datetime,
        *,
        question: str | None = None,
        answer: str | None = None,
        vector: bytes | None = None,
    ) -> FaqView | None:
        values: dict[str, object] = {"updated_at": now}
        if question is not None and vector is not None:
            values.update(question=question, vector=vector)
        if answer is not None:
            # A new answer is judged afresh.
            values.update(answer=answer, not_helpful=0)
        async with self.db.session() as session:
            result = await session.execute(
                update(FaqEntry)
                .where(FaqEntry.id == entry_id, FaqEntry.state == ACTIVE)
                .values(**values)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
            return FaqView.of(await session.get_one(FaqEntry, entry_id))

    async def remove(self, entry_id: int) -> FaqView | None:
        async with self.db.session() as session:
            result = await session.execute(
                update(FaqEntry)
                .where(FaqEntry.id == entry_id, FaqEntry.state == ACTIVE)
                .values(state=REMOVED)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
            return FaqView.of(await session.get_one(FaqEntry, entry_id))

    async def get(self, community: Community, entry_id: int) -> FaqView | None:
        async with self.db.session() as session:
            row = await session.get(FaqEntry, entry_id)
        if row is None or row.state != ACTIVE:
            return None
        if (row.platform, row.community_id) != (community.platform, community.id):
            return None
        return FaqView.of(row)

    async def for_group(self, group_id: int) -> FaqView | None:
        async with self.db.session() as session:
            row = await session.scalar(
                select(FaqEntry)
                .where(FaqEntry.group_id == group_id, FaqEntry.state == ACTIVE)
                .order_by(FaqEntry.id)
                .limit(1)
            )
            return FaqView.of(row) if row is not None else None

    async def entries(self, community: Community) -> list[FaqView]:
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(FaqEntry)
                    .where(
                        FaqEntry.platform == community.platform,
                        FaqEntry.community_id == community.id,
                        FaqEntry.state == ACTIVE,
                    )
                    .order_by(FaqEntry.id)
                )
            ).all()
            return [FaqView.of(row) for row in rows]

    # -- answers given -------------------------------------------------------------

    async def answered_members(self, group_id: int) -> set[str]:
        async with self.db.session() as session:
            return set(
                (
                    await session.scalars(
                        select(FaqDelivery.member_id).where(FaqDelivery.group_id == group_id)
                    )
                ).all()
            )

    async def deliver(
        self, faq_id: int, group_id: int, question_id: int | None, member_id: str, now: datetime
    ) -> int | None:
        """Claim the one answer this member gets for this group; None when it was given."""
        try:
            async with self.db.session() as session:
                row = FaqDelivery(
                    faq_id=faq_id,
                    group_id=group_id,
                    question_id=question_id,
                    member_id=member_id,
                    created_at=now,
                )
                session.add(row)
                await session.flush()
                return row.id
        except IntegrityError:
            return None

    async def feedback(self, delivery_id: int, member_id: str, value: str) -> FeedbackResult:
        async with self.db.session() as session:
            delivery = await session.get(FaqDelivery, delivery_id)
            if delivery is None:
                return FeedbackResult(Feedback.GONE)
            if delivery.member_id != member_id:
                return FeedbackResult(Feedback.NOT_YOURS)
            result = await session.execute(
                update(FaqDelivery)
                .where(FaqDelivery.id == delivery_id, FaqDelivery.feedback.is_(None))
                .values(feedback=value)
            )
            if getattr(result, "rowcount", 0) != 1:
                return FeedbackResult(Feedback.ALREADY)
            column = FaqEntry.helpful if value == HELPFUL else FaqEntry.not_helpful
            await session.execute(
                update(FaqEntry).where(FaqEntry.id == delivery.faq_id).values({column: column + 1})
            )
            entry = await session.get_one(FaqEntry, delivery.faq_id)
            await session.refresh(entry)
            return FeedbackResult(Feedback.COUNTED, FaqView.of(entry), delivery.group_id)
