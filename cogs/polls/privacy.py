"""What polls keep about a member: their votes and the polls they opened. Erased, a vote
stays in the counts but names nobody."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select, update

from bot.core.privacy import DataSubject, erased_id
from bot.storage.database import Database
from cogs.polls.models import Poll, PollOption, PollVote


def _in_community(subject: DataSubject) -> ColumnElement[bool]:
    return and_(Poll.platform == subject.platform, Poll.community_id == subject.community_id)


class PollsData:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        votes = (
            select(Poll.id, Poll.question, PollOption.label, PollVote.voted_at)
            .join(Poll, Poll.id == PollVote.poll_id)
            .outerjoin(
                PollOption,
                and_(
                    PollOption.poll_id == PollVote.poll_id,
                    PollOption.position == PollVote.position,
                ),
            )
            .where(_in_community(subject), PollVote.member_id == subject.member_id)
            .order_by(PollVote.voted_at)
        )
        opened = (
            select(Poll.id, Poll.question, Poll.created_at)
            .where(_in_community(subject), Poll.author_id == subject.member_id)
            .order_by(Poll.id)
        )
        async with self.db.session() as session:
            voted = (await session.execute(votes)).all()
            created = (await session.execute(opened)).all()
        found: dict[str, object] = {}
        if voted:
            found["votes"] = [
                {"poll": poll, "question": question, "option": label, "voted_at": at}
                for poll, question, label, at in voted
            ]
        if created:
            found["polls_opened"] = [
                {"poll": poll, "question": question, "created_at": at}
                for poll, question, at in created
            ]
        return found

    async def erase(self, subject: DataSubject) -> int:
        polls = select(Poll.id).where(_in_community(subject))
        async with self.db.session() as session:
            votes = await session.execute(
                update(PollVote)
                .where(PollVote.poll_id.in_(polls), PollVote.member_id == subject.member_id)
                .values(member_id=erased_id(PollVote.id), member_name="")
            )
            opened = await session.execute(
                update(Poll)
                .where(_in_community(subject), Poll.author_id == subject.member_id)
                .values(author_id=erased_id(Poll.id), author_name="")
            )
        return int(votes.rowcount or 0) + int(opened.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        return 0  # a poll keeps no member's message text, only their choice
