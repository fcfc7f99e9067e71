"""Response time's facts: who answered a tracked question first, and when; staff's replies
offered for the FAQ; questions still waiting, told to staff once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Update, select, update

from bot.core.model import Community, Member
from bot.storage.database import Database
from cogs.questions.models import (
    BY_MEMBER,
    LIVE_STATES,
    OFFERED,
    PROMOTED,
    Question,
    QuestionGroup,
    StaffReply,
)
from cogs.questions.service import QuestionView, changed


class AnswerTracking:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _change(self, statement: Update) -> bool:
        async with self.db.session() as session:
            return changed(await session.execute(statement))

    async def by_message(
        self, community: Community, channel_id: str, message_id: str
    ) -> QuestionView | None:
        """The tracked question a reply answers: the question itself or a member's reply."""
        async with self.db.session() as session:
            row = await session.scalar(
                select(Question)
                .where(
                    Question.platform == community.platform,
                    Question.community_id == community.id,
                    Question.channel_id == channel_id,
                    (Question.message_id == message_id)
                    | (Question.helper_message_id == message_id),
                )
                .order_by(Question.id.desc())
                .limit(1)
            )
            return QuestionView.of(row) if row is not None else None

    async def mark_answered(
        self, question_id: int, now: datetime, kind: str, by: str | None
    ) -> bool:
        """The first answer only: later ones do not move the response time."""
        return await self._change(
            update(Question)
            .where(Question.id == question_id, Question.answered_at.is_(None))
            .values(answered_at=now, answer_kind=kind, answered_by=by)
        )

    async def note_helper(self, question_id: int, message_id: str, now: datetime) -> None:
        await self._change(
            update(Question)
            .where(
                Question.id == question_id,
                Question.answered_at.is_(None),
                Question.helper_reply_at.is_(None),
            )
            .values(helper_message_id=message_id, helper_reply_at=now)
        )

    async def solved_by_helper(self, question_id: int) -> bool:
        """The asker said a member's reply solved it: answered when that reply came."""
        async with self.db.session() as session:
            row = await session.get(Question, question_id)
            if row is None or row.helper_reply_at is None or row.answered_at is not None:
                return False
            return changed(
                await session.execute(
                    update(Question)
                    .where(Question.id == question_id, Question.answered_at.is_(None))
                    .values(answered_at=row.helper_reply_at, answer_kind=BY_MEMBER)
                )
            )

    async def unanswered(self, since: datetime) -> list[tuple[int, str, str, datetime]]:
        """Questions asked since `since` that nobody answered yet and staff was not told
        about: (id, platform, community, asked_at), for the scheduler to be rebuilt from."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(Question.id, Question.platform, Question.community_id, Question.asked_at)
                .join(QuestionGroup, QuestionGroup.id == Question.group_id)
                .where(
                    Question.answered_at.is_(None),
                    Question.unanswered_noticed.is_(False),
                    Question.asked_at >= since,
                    QuestionGroup.state.in_(LIVE_STATES),
                )
            )
            return [
                (question_id, platform, community_id, asked_at)
                for question_id, platform, community_id, asked_at in rows.tuples()
            ]

    async def withdrawn(self, community: Community, channel_id: str, message_id: str) -> int | None:
        """The asker deleted their question: nobody is to be told it waits. Its id, if tracked."""
        async with self.db.session() as session:
            question_id = await session.scalar(
                select(Question.id).where(
                    Question.platform == community.platform,
                    Question.community_id == community.id,
                    Question.channel_id == channel_id,
                    Question.message_id == message_id,
                )
            )
            if question_id is not None:
                await session.execute(
                    update(Question)
                    .where(Question.id == question_id)
                    .values(unanswered_noticed=True)
                )
            return question_id

    async def claim_unanswered(self, question_id: int) -> QuestionView | None:
        """Still unanswered: mark that staff is told, once; None when there is nothing to tell."""
        async with self.db.session() as session:
            result = await session.execute(
                update(Question)
                .where(
                    Question.id == question_id,
                    Question.answered_at.is_(None),
                    Question.unanswered_noticed.is_(False),
                )
                .values(unanswered_noticed=True)
            )
            if not changed(result):
                return None
            row = await session.get_one(Question, question_id)
            group = await session.get_one(QuestionGroup, row.group_id)
            return QuestionView.of(row) if group.state in LIVE_STATES else None

    # -- staff's replies, offered for the FAQ -------------------------------------------

    async def offer_reply(self, question_id: int, author: Member, text: str, now: datetime) -> int:
        async with self.db.session() as session:
            row = StaffReply(
                question_id=question_id,
                member_id=author.id,
                member_name=author.shown_name[:100],
                text=text,
                state=OFFERED,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return row.id

    async def claim_reply(self, reply_id: int, community: Community) -> tuple[int, str] | None:
        """Offered → promoted, once: the reply's group and text for the FAQ."""
        async with self.db.session() as session:
            reply = await session.get(StaffReply, reply_id)
            if reply is None:
                return None
            question = await session.get_one(Question, reply.question_id)
            if (question.platform, question.community_id) != (community.platform, community.id):
                return None
            result = await session.execute(
                update(StaffReply)
                .where(StaffReply.id == reply_id, StaffReply.state == OFFERED)
                .values(state=PROMOTED)
            )
            if not changed(result):
                return None
            return question.group_id, reply.text
