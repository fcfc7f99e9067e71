"""What recurring questions keep about a member: the questions they asked. Past the text
retention, and when the member erases their data, a question's text goes and its row stays
(the counts of the digest and of the staff's groups)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, select, update

from bot.core.privacy import DataSubject, erased_id
from bot.storage.database import Database
from cogs.questions.models import Question, QuestionGroup


def _in_community(subject: DataSubject) -> ColumnElement[bool]:
    return and_(
        Question.platform == subject.platform, Question.community_id == subject.community_id
    )


class QuestionsData:
    def __init__(
        self, db: Database, refresh_card: Callable[[int], Awaitable[None]] | None = None
    ) -> None:
        self.db = db
        # The staff's card of a group quotes its questions: drawn again without the text.
        self.refresh_card = refresh_card

    async def _changed(self, group_ids: Iterable[int]) -> None:
        if self.refresh_card is not None:
            for group_id in sorted(set(group_ids)):
                await self.refresh_card(group_id)

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        query = (
            select(Question.text, Question.channel_id, Question.asked_at, Question.answered_at)
            .where(_in_community(subject), Question.member_id == subject.member_id)
            .order_by(Question.asked_at)
        )
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return {}
        return {
            "questions": [
                {"text": text, "channel": channel, "asked_at": asked, "answered_at": answered}
                for text, channel, asked, answered in rows
            ]
        }

    async def erase(self, subject: DataSubject) -> int:
        mine = select(Question.text).where(
            _in_community(subject), Question.member_id == subject.member_id, Question.text != ""
        )
        groups = select(Question.group_id).where(
            _in_community(subject), Question.member_id == subject.member_id
        )
        async with self.db.session() as session:
            group_ids = (await session.scalars(groups)).all()
            # A group shown to staff under one of these questions is shown under nothing.
            await session.execute(
                update(QuestionGroup)
                .where(
                    QuestionGroup.platform == subject.platform,
                    QuestionGroup.community_id == subject.community_id,
                    QuestionGroup.representative.in_(mine),
                )
                .values(representative="")
            )
            result = await session.execute(
                update(Question)
                .where(_in_community(subject), Question.member_id == subject.member_id)
                .values(
                    text="",
                    member_id=erased_id(Question.id),
                    member_name="",
                )
            )
        await self._changed(group_ids)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        newer = exists().where(Question.group_id == QuestionGroup.id, Question.asked_at >= before)
        expired = select(Question.group_id).where(Question.asked_at < before, Question.text != "")
        async with self.db.session() as session:
            group_ids = (await session.scalars(expired.distinct())).all()
            await session.execute(
                update(QuestionGroup)
                .where(
                    QuestionGroup.created_at < before,
                    QuestionGroup.representative != "",
                    ~newer,
                )
                .values(representative="")
            )
            result = await session.execute(
                update(Question)
                .where(Question.asked_at < before, Question.text != "")
                .values(text="")
            )
        await self._changed(group_ids)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
