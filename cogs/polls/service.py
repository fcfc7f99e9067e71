"""The rules of a poll and its state changes, each one conditional so it happens once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, distinct, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Community, Member
from bot.storage.database import Database
from cogs.polls.ballot import (
    CHANGES,
    Changes,
    Counts,
    OptionCache,
    VoteOutcome,
    counts_before,
    is_option,
    lock_and_count,
    lock_open,
    press,
    write_changes,
)
from cogs.polls.models import CLOSED, OPEN, Poll, PollOption, PollVote
from cogs.polls.queue import Press, VoteQueue

__all__ = ["OptionTally", "PollService", "PollView", "VoteOutcome"]

# Called inside the vote's transaction with the poll as the vote left it.
OnChange = Callable[[AsyncSession, "PollView"], Awaitable[None]]


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
        self._options = OptionCache()
        self._queue = VoteQueue(self._apply)

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
        self._options.forget(poll_id)

    async def vote(
        self,
        poll_id: int,
        position: int,
        member: Member,
        now: datetime,
        *,
        on_change: OnChange | None = None,
        key: object = None,
    ) -> tuple[VoteOutcome, PollView | None]:
        """Record a vote; the poll as it stands after it, in the same transaction (None when
        the poll or the option does not exist). `on_change` runs in that transaction when
        the vote changed something, so what it writes commits with the vote or not at all;
        presses applied together run it once per `key`."""
        pressed = Press(position, member, now, on_change, key)
        await self._queue.run(poll_id, pressed)
        assert pressed.outcome is not None
        return pressed.outcome, pressed.view

    async def _apply(self, poll_id: int, batch: list[Press]) -> None:
        try:
            async with self.db.writing() as session:
                results = await self._vote(session, poll_id, batch)
        except IntegrityError:
            # Another process recorded one of these votes at the same moment: each press
            # on its own, and the same click twice at once counts once.
            if len(batch) > 1:
                for one in batch:
                    await self._apply(poll_id, [one])
                return
            results = [(VoteOutcome.UNCHANGED, await self.view(poll_id))]
        for pressed, (outcome, view) in zip(batch, results, strict=True):
            pressed.finish(outcome, view)

    async def _vote(
        self, session: AsyncSession, poll_id: int, batch: list[Press]
    ) -> list[tuple[VoteOutcome, PollView | None]]:
        members = {pressed.member.id for pressed in batch}
        counts: Counts | None = None
        if self.db.dialect == "sqlite":
            row, counts = await lock_and_count(session, poll_id, members)
        else:
            row = await lock_open(session, poll_id)
        if row is None:
            exists = await session.scalar(select(Poll.id).where(Poll.id == poll_id))
            refused = VoteOutcome.CLOSED if exists is not None else VoteOutcome.NOT_FOUND
            return [(refused, None)] * len(batch)
        options = await self._options.get(session, poll_id, row.created_at)
        valid = [pressed for pressed in batch if is_option(options, pressed.position)]
        multiple = bool(row.multiple)
        if counts is None:
            counts = await counts_before(session, poll_id, members, multiple=multiple)
        changes = Changes()
        outcomes = {
            pressed: press(
                counts, changes, pressed.member, pressed.position, pressed.now, multiple=multiple
            )
            for pressed in valid
        }
        await write_changes(session, poll_id, changes)
        view = _live_view(row, options, counts)
        shown: set[object] = set()
        for pressed, outcome in outcomes.items():
            if pressed.on_change is None or outcome not in CHANGES:
                continue
            if pressed.key is None or pressed.key not in shown:
                shown.add(pressed.key)
                await pressed.on_change(session, view)
        return [
            (outcomes[pressed], view) if pressed in outcomes else (VoteOutcome.NOT_FOUND, None)
            for pressed in batch
        ]

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


def _live_view(row: Row[Any], options: Sequence[tuple[int, str]], counts: Counts) -> PollView:
    """An open poll from its locked row, its options and its counts, with no other read."""
    return PollView(
        id=row.id,
        platform=row.platform,
        community_id=row.community_id,
        channel_id=row.channel_id,
        message_id=row.message_id,
        author_id=row.author_id,
        author_name=row.author_name,
        question=row.question,
        anonymous=row.anonymous,
        multiple=row.multiple,
        results_hidden=row.results_hidden,
        state=row.state,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
        options=tuple(
            OptionTally(position, label, counts.per_option.get(position, 0), ())
            for position, label in options
        ),
        voters=counts.voters,
    )
