"""One vote in one transaction of four statements: the poll's row locked first, the counts
and the member's own votes read in one aggregate, one write, and the counts after the write
worked out from what it changed instead of read again.

Every vote on a poll takes the poll's row first, so votes on one poll follow one another:
nothing else can change the counts between the aggregate and the write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, case, delete, distinct, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Member
from cogs.polls.models import OPEN, Poll, PollOption, PollVote

# Options never change once a poll exists; a poll id is checked against its creation time,
# since SQLite may give a discarded poll's id to the next one.
MAX_CACHED_POLLS = 5000
POLL_COLUMNS = (
    Poll.id,
    Poll.platform,
    Poll.community_id,
    Poll.channel_id,
    Poll.message_id,
    Poll.author_id,
    Poll.author_name,
    Poll.question,
    Poll.anonymous,
    Poll.multiple,
    Poll.results_hidden,
    Poll.state,
    Poll.created_at,
    Poll.closes_at,
    Poll.closed_at,
)
ALL_VOTERS = -1  # the aggregate's row that counts a multiple-choice poll's distinct voters


class VoteOutcome(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"
    UNCHANGED = "unchanged"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


CHANGES = frozenset({VoteOutcome.ADDED, VoteOutcome.CHANGED, VoteOutcome.REMOVED})


@dataclass(slots=True)
class Counts:
    per_option: dict[int, int]
    mine: frozenset[int]
    voters: int


Options = tuple[tuple[int, str], ...]


class OptionCache:
    def __init__(self) -> None:
        self._known: dict[int, tuple[datetime, Options]] = {}

    async def get(self, session: AsyncSession, poll_id: int, created_at: datetime) -> Options:
        known = self._known.get(poll_id)
        if known is not None and known[0] == created_at:
            return known[1]
        rows = await session.execute(
            select(PollOption.position, PollOption.label)
            .where(PollOption.poll_id == poll_id)
            .order_by(PollOption.position)
        )
        options = tuple((position, label) for position, label in rows.tuples())
        if len(self._known) >= MAX_CACHED_POLLS:
            self._known.clear()
        self._known[poll_id] = (created_at, options)
        return options

    def forget(self, poll_id: int) -> None:
        self._known.pop(poll_id, None)


async def lock_open(session: AsyncSession, poll_id: int) -> Row[Any] | None:
    """The open poll's row, locked. A no-op conditional UPDATE and the transaction's first
    statement: on PostgreSQL it takes the row's lock, so votes on one poll queue here and a
    close waits for them; on SQLite it takes the write lock before anything is read, so the
    transaction never holds a snapshot that another writer has made stale (which fails at
    once with "database is locked" whatever the busy timeout)."""
    result = await session.execute(
        update(Poll)
        .where(Poll.id == poll_id, Poll.state == OPEN)
        .values(state=OPEN)
        .returning(*POLL_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    return result.one_or_none()


async def counts_before(
    session: AsyncSession, poll_id: int, member_id: str, *, multiple: bool
) -> Counts:
    """Votes per option and the member's own, in one aggregate read under the lock."""
    mine_here = func.sum(case((PollVote.member_id == member_id, 1), else_=0))
    query = (
        select(PollVote.position, func.count(), mine_here)
        .where(PollVote.poll_id == poll_id)
        .group_by(PollVote.position)
    )
    if multiple:
        voters = select(
            literal(ALL_VOTERS), func.count(distinct(PollVote.member_id)), literal(0)
        ).where(PollVote.poll_id == poll_id)
        rows = (await session.execute(query.union_all(voters))).tuples().all()
    else:
        rows = (await session.execute(query)).tuples().all()
    per_option = {int(position): int(count) for position, count, _ in rows}
    mine = frozenset(int(position) for position, _, own in rows if own and position >= 0)
    total = per_option.pop(ALL_VOTERS, None)
    return Counts(per_option, mine, sum(per_option.values()) if total is None else total)


async def write_vote(
    session: AsyncSession,
    poll_id: int,
    position: int,
    member: Member,
    now: datetime,
    counts: Counts,
    *,
    multiple: bool,
) -> VoteOutcome:
    """The one write a vote needs, and the counts moved by what it changed."""
    mine, per_option = counts.mine, counts.per_option
    own = (PollVote.poll_id == poll_id, PollVote.member_id == member.id)
    if position in mine and multiple:
        await session.execute(delete(PollVote).where(*own, PollVote.position == position))
        per_option[position] -= 1
        counts.voters -= 1 if mine == {position} else 0
        return VoteOutcome.REMOVED
    if position in mine:
        return VoteOutcome.UNCHANGED
    name = member.shown_name[:100]
    if mine and not multiple:
        await session.execute(
            update(PollVote)
            .where(*own)
            .values(position=position, member_name=name, voted_at=now)
            .execution_options(synchronize_session=False)
        )
        for old in mine:
            per_option[old] -= 1
        per_option[position] = per_option.get(position, 0) + 1
        return VoteOutcome.CHANGED
    await session.execute(
        insert(PollVote).values(
            poll_id=poll_id, position=position, member_id=member.id, member_name=name, voted_at=now
        )
    )
    per_option[position] = per_option.get(position, 0) + 1
    counts.voters += 0 if mine else 1
    return VoteOutcome.ADDED


def is_option(options: Sequence[tuple[int, str]], position: int) -> bool:
    return any(known == position for known, _ in options)
