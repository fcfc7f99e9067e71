"""The rules of a poll and its state changes, each one conditional so it happens once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, distinct, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Community, Member
from bot.storage.database import Database
from cogs.polls.models import CLOSED, OPEN, Poll, PollOption, PollVote


class VoteOutcome(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"
    UNCHANGED = "unchanged"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class OptionTally:
    position: int
    label: str
    votes: int
    voters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PollView:
    id: int
    platform: str
    community_id: str
    channel_id: str
    message_id: str | None
    author_id: str
    author_name: str
    question: str
    anonymous: bool
    multiple: bool
    results_hidden: bool
    state: str
    closes_at: datetime | None
    closed_at: datetime | None
    options: tuple[OptionTally, ...]
    voters: int

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    def label(self, position: int) -> str:
        return next((option.label for option in self.options if option.position == position), "?")


class PollService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        community: Community,
        channel_id: str,
        author: Member,
        question: str,
        labels: Sequence[str],
        *,
        anonymous: bool,
        multiple: bool,
        now: datetime,
        closes_at: datetime | None,
        results_hidden: bool = False,
    ) -> int:
        async with self.db.session() as session:
            poll = Poll(
                platform=community.platform,
                community_id=community.id,
                channel_id=channel_id,
                author_id=author.id,
                author_name=author.shown_name[:100],
                question=question,
                anonymous=anonymous,
                multiple=multiple,
                results_hidden=results_hidden,
                state=OPEN,
                created_at=now,
                closes_at=closes_at,
            )
            session.add(poll)
            await session.flush()
            session.add_all(
                PollOption(poll_id=poll.id, position=position, label=label)
                for position, label in enumerate(labels)
            )
            return poll.id

    async def attach_message(self, poll_id: int, channel_id: str, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(Poll)
                .where(Poll.id == poll_id)
                .values(channel_id=channel_id, message_id=message_id)
            )

    async def discard(self, poll_id: int) -> None:
        async with self.db.session() as session:
            await session.execute(delete(Poll).where(Poll.id == poll_id))

    async def vote(
        self, poll_id: int, position: int, member: Member, now: datetime
    ) -> tuple[VoteOutcome, PollView | None]:
        """Record a vote; the poll as it stands after it, read in the same transaction
        (None when the poll or the option does not exist)."""
        try:
            async with self.db.session() as session:
                outcome = await self._vote(session, poll_id, position, member, now)
                if outcome in (VoteOutcome.NOT_FOUND, VoteOutcome.CLOSED):
                    return outcome, None
                return outcome, await self._view(session, await session.get_one(Poll, poll_id))
        except IntegrityError:
            # The same click, twice at once: the first one counts.
            return VoteOutcome.UNCHANGED, await self.view(poll_id)

    async def _vote(
        self, session: AsyncSession, poll_id: int, position: int, member: Member, now: datetime
    ) -> VoteOutcome:
        # A no-op conditional UPDATE locks the open poll's row, so a close waits for this vote.
        locked = await session.execute(
            update(Poll).where(Poll.id == poll_id, Poll.state == OPEN).values(state=OPEN)
        )
        if locked.rowcount != 1:  # type: ignore[attr-defined]
            exists = await session.scalar(select(Poll.id).where(Poll.id == poll_id))
            return VoteOutcome.CLOSED if exists is not None else VoteOutcome.NOT_FOUND
        poll = await session.get_one(Poll, poll_id)
        valid = await session.scalar(
            select(PollOption.id).where(
                PollOption.poll_id == poll_id, PollOption.position == position
            )
        )
        if valid is None:
            return VoteOutcome.NOT_FOUND
        mine = set(
            (
                await session.scalars(
                    select(PollVote.position).where(
                        PollVote.poll_id == poll_id, PollVote.member_id == member.id
                    )
                )
            ).all()
        )
        if poll.multiple and position in mine:
            await session.execute(
                delete(PollVote).where(
                    PollVote.poll_id == poll_id,
                    PollVote.member_id == member.id,
                    PollVote.position == position,
                )
            )
            return VoteOutcome.REMOVED
        if position in mine:
            return VoteOutcome.UNCHANGED
        outcome = VoteOutcome.ADDED
        if mine and not poll.multiple:
            await session.execute(
                delete(PollVote).where(PollVote.poll_id == poll_id, PollVote.member_id == member.id)
            )
            outcome = VoteOutcome.CHANGED
        session.add(
            PollVote(
                poll_id=poll_id,
                position=position,
                member_id=member.id,
                member_name=member.shown_name[:100],
                voted_at=now,
            )
        )
        await session.flush()
        return outcome

    async def close(self, poll_id: int, now: datetime, closed_by: str | None) -> bool:
        """Close an open poll; True only for the one call that closed it."""
        async with self.db.session() as session:
            result = await session.execute(
                update(Poll)
                .where(Poll.id == poll_id, Poll.state == OPEN)
                .values(state=CLOSED, closed_at=now, closed_by=closed_by)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def view(self, poll_id: int, *, with_voters: bool = False) -> PollView | None:
        """The poll and its counts; voters' names only when asked (the results need them)."""
        async with self.db.session() as session:
            poll = await session.get(Poll, poll_id)
            if poll is None:
                return None
            return await self._view(session, poll, with_voters=with_voters)

    async def _view(
        self, session: AsyncSession, poll: Poll, *, with_voters: bool = False
    ) -> PollView:
        options = (
            await session.scalars(
                select(PollOption)
                .where(PollOption.poll_id == poll.id)
                .order_by(PollOption.position)
            )
        ).all()
        # Counted in the database: a click on a poll with thousands of votes stays cheap.
        grouped = await session.execute(
            select(PollVote.position, func.count())
            .where(PollVote.poll_id == poll.id)
            .group_by(PollVote.position)
        )
        counts = {position: count for position, count in grouped.tuples()}
        voters = await session.scalar(
            select(func.count(distinct(PollVote.member_id))).where(PollVote.poll_id == poll.id)
        )
        names: dict[int, list[str]] = {}
        if with_voters:
            rows = await session.execute(
                select(PollVote.position, PollVote.member_name)
                .where(PollVote.poll_id == poll.id)
                .order_by(PollVote.voted_at, PollVote.id)
            )
            for position, name in rows.tuples():
                names.setdefault(position, []).append(name)
        tallies = tuple(
            OptionTally(
                option.position,
                option.label,
                int(counts.get(option.position, 0)),
                tuple(names.get(option.position, [])),
            )
            for option in options
        )
        return PollView(
            id=poll.id,
            platform=poll.platform,
            community_id=poll.community_id,
            channel_id=poll.channel_id,
            message_id=poll.message_id,
            author_id=poll.author_id,
            author_name=poll.author_name,
            question=poll.question,
            anonymous=poll.anonymous,
            multiple=poll.multiple,
            results_hidden=poll.results_hidden,
            state=poll.state,
            closes_at=poll.closes_at,
            closed_at=poll.closed_at,
            options=tallies,
            voters=int(voters or 0),
        )

    async def open_polls(self, community: Community) -> list[PollView]:
        async with self.db.session() as session:
            polls = (
                await session.scalars(
                    select(Poll)
                    .where(
                        Poll.platform == community.platform,
                        Poll.community_id == community.id,
                        Poll.state == OPEN,
                        Poll.message_id.is_not(None),
                    )
                    .order_by(Poll.id)
                )
            ).all()
            return [await self._view(session, poll) for poll in polls]

    async def deadlines(self) -> list[tuple[int, datetime]]:
        """Every open poll with a closing time: the scheduler is rebuilt from these."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(Poll.id, Poll.closes_at).where(
                    Poll.state == OPEN, Poll.closes_at.is_not(None)
                )
            )
            return [
                (poll_id, closes_at) for poll_id, closes_at in rows.all() if closes_at is not None
            ]

    async def closed_between(
        self, community: Community, since: datetime, until: datetime
    ) -> list[PollView]:
        """Polls closed in that time, for the weekly digest."""
        async with self.db.session() as session:
            polls = (
                await session.scalars(
                    select(Poll)
                    .where(
                        Poll.platform == community.platform,
                        Poll.community_id == community.id,
                        Poll.state == CLOSED,
                        Poll.message_id.is_not(None),
                        Poll.closed_at >= since,
                        Poll.closed_at < until,
                    )
                    .order_by(Poll.closed_at, Poll.id)
                )
            ).all()
            return [await self._view(session, poll) for poll in polls]
