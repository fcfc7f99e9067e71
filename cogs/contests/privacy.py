"""What contests keep about a member: their entries (text and file), their votes, their
wins. Erased, a member leaves the contests not yet drawn, as when they leave the
community (a draw must never pick someone who is gone); in the others an entry and a vote
stay for the counts and the draw's audit but name nobody and hold nothing; a win stays,
since a prize was given (or is owed) against it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Select, delete, select, update

from bot.core.privacy import DataSubject, erased_id
from bot.storage.database import Database
from cogs.contests.models import (
    OPEN,
    VOTING,
    Contest,
    ContestEntry,
    ContestVote,
    ContestWinner,
)


class ContestsData:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _contests(self, subject: DataSubject) -> Select[tuple[int]]:
        return select(Contest.id).where(
            Contest.platform == subject.platform, Contest.community_id == subject.community_id
        )

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        mine = self._contests(subject)
        entries = select(
            ContestEntry.contest_id,
            ContestEntry.entered_at,
            ContestEntry.content,
            ContestEntry.file_name,
        ).where(ContestEntry.contest_id.in_(mine), ContestEntry.member_id == subject.member_id)
        votes = select(ContestVote.contest_id, ContestVote.voted_at).where(
            ContestVote.contest_id.in_(mine), ContestVote.member_id == subject.member_id
        )
        wins = select(ContestWinner.contest_id, ContestWinner.rank, ContestWinner.won_at).where(
            ContestWinner.contest_id.in_(mine), ContestWinner.member_id == subject.member_id
        )
        async with self.db.session() as session:
            entered = (await session.execute(entries)).all()
            voted = (await session.execute(votes)).all()
            won = (await session.execute(wins)).all()
        found: dict[str, object] = {}
        if entered:
            found["entries"] = [
                {"contest": contest, "entered_at": at, "text": text, "file": file}
                for contest, at, text, file in entered
            ]
        if voted:
            found["votes"] = [{"contest": contest, "voted_at": at} for contest, at in voted]
        if won:
            found["wins"] = [
                {"contest": contest, "rank": rank, "won_at": at} for contest, rank, at in won
            ]
        return found

    async def erase(self, subject: DataSubject) -> int:
        mine = self._contests(subject)
        undrawn = self._contests(subject).where(Contest.state.in_((OPEN, VOTING)))
        async with self.db.session() as session:
            withdrawn = await session.execute(
                delete(ContestEntry).where(
                    ContestEntry.contest_id.in_(undrawn),
                    ContestEntry.member_id == subject.member_id,
                )
            )
            entries = await session.execute(
                update(ContestEntry)
                .where(
                    ContestEntry.contest_id.in_(mine), ContestEntry.member_id == subject.member_id
                )
                .values(
                    member_id=erased_id(ContestEntry.id),
                    member_name="",
                    content="",
                    file_name=None,
                    file_type=None,
                    file_data=None,
                )
            )
            votes = await session.execute(
                update(ContestVote)
                .where(ContestVote.contest_id.in_(mine), ContestVote.member_id == subject.member_id)
                .values(member_id=erased_id(ContestVote.id, "v"))
            )
        rows = [getattr(result, "rowcount", 0) or 0 for result in (withdrawn, entries, votes)]
        return sum(int(count) for count in rows)

    async def expire(self, before: datetime) -> int:
        return 0  # an entry is kept with its contest: the staff's export and the audit
