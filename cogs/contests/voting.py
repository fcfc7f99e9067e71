"""Submission contests: members vote for an entry (one vote each, changeable, never for
their own), or staff pick the winners; the votes rank the entries at the close."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Member
from bot.storage.database import Database
from cogs.contests.models import VOTING, Contest, ContestEntry, ContestVote, ContestWinner


class VoteOutcome(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    OWN = "own"
    PICKED = "picked"
    UNPICKED = "unpicked"
    FULL = "full"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


async def rank_by_votes(session: AsyncSession, contest: Contest, now: datetime) -> None:
    """The entries with the most votes win (at least one vote); a tie goes to the earlier."""
    votes = func.count(ContestVote.id)
    rows = await session.execute(
        select(ContestEntry.member_id, ContestEntry.member_name, votes)
        .outerjoin(ContestVote, ContestVote.entry_id == ContestEntry.id)
        .where(ContestEntry.contest_id == contest.id)
        .group_by(ContestEntry.id, ContestEntry.member_id, ContestEntry.member_name)
        .order_by(votes.desc(), ContestEntry.number)
    )
    ranked = [(member, name) for member, name, count in rows.tuples() if count > 0]
    session.add_all(
        ContestWinner(
            contest_id=contest.id,
            member_id=member_id,
            member_name=name,
            rank=rank,
            round=0,
            won_at=now,
        )
        for rank, (member_id, name) in enumerate(ranked[: contest.winners], start=1)
    )


class Voting:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _locked_entry(
        self, session: AsyncSession, contest_id: int, number: int
    ) -> tuple[VoteOutcome | None, ContestEntry | None]:
        locked = await session.execute(
            update(Contest)
            .where(Contest.id == contest_id, Contest.state == VOTING)
            .values(state=Contest.state)
        )
        if locked.rowcount != 1:  # type: ignore[attr-defined]
            exists = await session.scalar(select(Contest.id).where(Contest.id == contest_id))
            return (VoteOutcome.CLOSED if exists else VoteOutcome.NOT_FOUND), None
        entry = await session.scalar(
            select(ContestEntry).where(
                ContestEntry.contest_id == contest_id, ContestEntry.number == number
            )
        )
        return (None if entry else VoteOutcome.NOT_FOUND), entry

    async def vote(
        self, contest_id: int, number: int, member: Member, now: datetime
    ) -> tuple[VoteOutcome, str]:
        """The outcome and the name of the entry's author."""
        try:
            async with self.db.session() as session:
                refused, entry = await self._locked_entry(session, contest_id, number)
                if entry is None:
                    return refused or VoteOutcome.NOT_FOUND, ""
                if entry.member_id == member.id:
                    return VoteOutcome.OWN, entry.member_name
                mine = await session.scalar(
                    select(ContestVote).where(
                        ContestVote.contest_id == contest_id, ContestVote.member_id == member.id
                    )
                )
                if mine is not None and mine.entry_id == entry.id:
                    return VoteOutcome.UNCHANGED, entry.member_name
                if mine is not None:
                    mine.entry_id = entry.id
                    mine.voted_at = now
                    return VoteOutcome.CHANGED, entry.member_name
                session.add(
                    ContestVote(
                        contest_id=contest_id, entry_id=entry.id, member_id=member.id, voted_at=now
                    )
                )
                await session.flush()
                return VoteOutcome.ADDED, entry.member_name
        except IntegrityError:
            return VoteOutcome.UNCHANGED, ""  # the same click, twice at once

    async def pick(self, contest_id: int, number: int, now: datetime) -> tuple[VoteOutcome, str]:
        """Staff judging: a press picks the entry as a winner, a second press unpicks it."""
        try:
            async with self.db.session() as session:
                refused, entry = await self._locked_entry(session, contest_id, number)
                if entry is None:
                    return refused or VoteOutcome.NOT_FOUND, ""
                contest = await session.get_one(Contest, contest_id)
                picked = (
                    await session.scalars(
                        select(ContestWinner).where(ContestWinner.contest_id == contest_id)
                    )
                ).all()
                if any(winner.member_id == entry.member_id for winner in picked):
                    await session.execute(
                        delete(ContestWinner).where(
                            ContestWinner.contest_id == contest_id,
                            ContestWinner.member_id == entry.member_id,
                        )
                    )
                    return VoteOutcome.UNPICKED, entry.member_name
                if len(picked) >= contest.winners:
                    return VoteOutcome.FULL, entry.member_name
                session.add(
                    ContestWinner(
                        contest_id=contest_id,
                        member_id=entry.member_id,
                        member_name=entry.member_name,
                        rank=max((winner.rank for winner in picked), default=0) + 1,
                        round=0,
                        won_at=now,
                    )
                )
                await session.flush()
                return VoteOutcome.PICKED, entry.member_name
        except IntegrityError:
            return VoteOutcome.UNCHANGED, ""
