"""Votes in one transaction of three statements (two on SQLite, where the lock and the
aggregate are one): the poll's row locked first, the counts and the pressing members' own
votes read in one aggregate, one write, and the counts after the write worked out from what
it changed instead of read again.

Every vote on a poll takes the poll's row first, so votes on one poll follow one another:
nothing else can change the counts between the aggregate and the write. Presses that arrive
while a transaction runs are applied together by the next one (see `queue.py`), in the
order they came, with the same statements."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    Integer,
    Row,
    String,
    Table,
    bindparam,
    case,
    delete,
    distinct,
    func,
    insert,
    literal,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.selectable import CompoundSelect

from bot.core.model import Member
from bot.storage.prepared import Prepared
from cogs.polls.models import OPEN, Poll, PollOption, PollVote

# Options never change once a poll exists; a poll id is checked against its creation time,
# since SQLite may give a discarded poll's id to the next one.
MAX_CACHED_POLLS = 5000
# The tables themselves, not the mapped classes: the hot statements skip the ORM's own
# handling of an UPDATE, which cost more than the statement.
POLLS, VOTES = cast(Table, Poll.__table__), cast(Table, PollVote.__table__)
POLL_COLUMNS = (
    POLLS.c.id,
    POLLS.c.platform,
    POLLS.c.community_id,
    POLLS.c.channel_id,
    POLLS.c.message_id,
    POLLS.c.author_id,
    POLLS.c.author_name,
    POLLS.c.question,
    POLLS.c.anonymous,
    POLLS.c.multiple,
    POLLS.c.results_hidden,
    POLLS.c.state,
    POLLS.c.created_at,
    POLLS.c.closes_at,
    POLLS.c.closed_at,
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
    """Votes per option, distinct voters, and the positions of the members pressing now."""

    per_option: dict[int, int]
    mine: dict[str, set[int]]
    voters: int


@dataclass(slots=True)
class Changes:
    """What a batch of presses changed, net: rows to delete and rows to insert."""

    gone: set[tuple[str, int]] = field(default_factory=set)
    new: dict[tuple[str, int], tuple[str, datetime]] = field(default_factory=dict)

    def remove(self, member_id: str, position: int) -> None:
        if self.new.pop((member_id, position), None) is None:
            self.gone.add((member_id, position))

    def add(self, member: Member, position: int, now: datetime) -> None:
        key = (member.id, position)
        if key in self.gone:
            self.gone.discard(key)  # taken back and given again in one batch: the row stays
        else:
            self.new[key] = (member.shown_name[:100], now)


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
    result = await session.execute(_lock_open(), {"poll_id": poll_id})
    return result.one_or_none()


@functools.cache
def _lock_open() -> UpdateBase:
    return (
        update(POLLS)
        .where(POLLS.c.id == bindparam("poll_id", type_=Integer), POLLS.c.state == OPEN)
        .values(state=OPEN)
        .returning(*POLL_COLUMNS)
        .execution_options(synchronize_session=False)
    )


@functools.cache
def _lock_and_count() -> Prepared:
    """Built once, with its parameters bound at each vote: the hot path builds no SQL."""
    poll_id = bindparam("poll_id", type_=Integer)
    grouped = (
        select(VOTES.c.position, func.count().label("votes"))
        .where(VOTES.c.poll_id == poll_id)
        .group_by(VOTES.c.position)
        .subquery()
    )
    per_option = select(
        func.json_group_array(func.json_array(grouped.c.position, grouped.c.votes))
    ).scalar_subquery()
    # The members as one JSON list: a statement of one shape whatever their number, so it
    # is compiled once (see `Prepared`).
    pressing = func.json_each(bindparam("members", type_=String)).table_valued("value")
    mine = (
        select(func.json_group_array(func.json_array(VOTES.c.member_id, VOTES.c.position)))
        .where(VOTES.c.poll_id == poll_id, VOTES.c.member_id.in_(select(pressing.c.value)))
        .scalar_subquery()
    )
    voters = case(
        (
            POLLS.c.multiple,
            select(func.count(distinct(VOTES.c.member_id)))
            .where(VOTES.c.poll_id == poll_id)
            .scalar_subquery(),
        )
    )
    return Prepared(
        update(POLLS)
        .where(POLLS.c.id == poll_id, POLLS.c.state == OPEN)
        .values(state=OPEN)
        .returning(*POLL_COLUMNS, per_option, mine, voters)
        .execution_options(synchronize_session=False)
    )


async def lock_and_count(
    session: AsyncSession, poll_id: int, member_ids: Collection[str]
) -> tuple[Row[Any] | None, Counts | None]:
    """SQLite: `lock_open` and `counts_before` in one statement, three fewer round trips to
    the driver's thread. Safe there only: SQLite takes the write lock before the statement
    reads, so its subqueries see every vote committed before. PostgreSQL evaluates them on
    the snapshot taken before waiting for the row's lock, which may miss the vote that held
    it."""
    rows = await _lock_and_count().rows(
        session, {"poll_id": poll_id, "members": json.dumps(list(member_ids))}
    )
    if not rows:
        return None, None
    row = rows[0]
    *_, tallies, own, distinct_voters = row
    counts: dict[int, int] = {int(position): int(votes) for position, votes in json.loads(tallies)}
    positions: dict[str, set[int]] = {member_id: set() for member_id in member_ids}
    for member_id, position in json.loads(own):
        positions[member_id].add(int(position))
    total = sum(counts.values()) if distinct_voters is None else int(distinct_voters)
    return row, Counts(counts, positions, total)


async def counts_before(
    session: AsyncSession, poll_id: int, member_ids: Collection[str], *, multiple: bool
) -> Counts:
    """Votes per option and the pressing members' own, in one read under the lock."""
    parameters = {"poll_id": poll_id, "members": list(member_ids)}
    rows = (await session.execute(_counts(multiple=multiple), parameters)).tuples().all()
    per_option: dict[int, int] = {}
    mine: dict[str, set[int]] = {member_id: set() for member_id in member_ids}
    for position, count, member_id in rows:
        if member_id is not None:
            mine[member_id].add(int(position))
        else:
            per_option[int(position)] = int(count)
    total = per_option.pop(ALL_VOTERS, None)
    return Counts(per_option, mine, sum(per_option.values()) if total is None else total)


@functools.cache
def _counts(*, multiple: bool) -> CompoundSelect[Any]:
    poll_id, nobody = bindparam("poll_id", type_=Integer), literal(None, String)
    parts = [
        select(VOTES.c.position, func.count(), nobody)
        .where(VOTES.c.poll_id == poll_id)
        .group_by(VOTES.c.position),
        select(VOTES.c.position, literal(0), VOTES.c.member_id).where(
            VOTES.c.poll_id == poll_id,
            VOTES.c.member_id.in_(bindparam("members", expanding=True)),
        ),
    ]
    if multiple:
        parts.append(
            select(literal(ALL_VOTERS), func.count(distinct(VOTES.c.member_id)), nobody).where(
                VOTES.c.poll_id == poll_id
            )
        )
    return union_all(*parts)


def press(
    counts: Counts,
    changes: Changes,
    member: Member,
    position: int,
    now: datetime,
    *,
    multiple: bool,
) -> VoteOutcome:
    """One press applied to the counts, in the order the presses came."""
    mine, per_option = counts.mine[member.id], counts.per_option
    if position in mine and multiple:
        mine.discard(position)
        changes.remove(member.id, position)
        per_option[position] -= 1
        counts.voters -= 0 if mine else 1
        return VoteOutcome.REMOVED
    if position in mine:
        return VoteOutcome.UNCHANGED
    outcome = VoteOutcome.ADDED
    if mine and not multiple:
        for old in mine:
            changes.remove(member.id, old)
            per_option[old] -= 1
        mine.clear()
        outcome = VoteOutcome.CHANGED
    elif not mine:
        counts.voters += 1
    mine.add(position)
    changes.add(member, position, now)
    per_option[position] = per_option.get(position, 0) + 1
    return outcome


async def write_changes(session: AsyncSession, poll_id: int, changes: Changes) -> None:
    """At most two statements whatever the number of presses: one delete, one insert."""
    if changes.gone:
        await session.execute(
            delete(VOTES).where(
                VOTES.c.poll_id == poll_id,
                tuple_(VOTES.c.member_id, VOTES.c.position).in_(sorted(changes.gone)),
            )
        )
    rows = [
        {
            "poll_id": poll_id,
            "position": position,
            "member_id": member_id,
            "member_name": name,
            "voted_at": now,
        }
        for (member_id, position), (name, now) in changes.new.items()
    ]
    if len(rows) == 1:
        await _insert_vote().rows(session, rows[0])
    elif rows:
        await session.execute(insert(VOTES), rows)


@functools.cache
def _insert_vote() -> Prepared:
    return Prepared(
        insert(VOTES),
        keys=("poll_id", "position", "member_id", "member_name", "voted_at"),
    )


def is_option(options: Sequence[tuple[int, str]], position: int) -> bool:
    return any(known == position for known, _ in options)
