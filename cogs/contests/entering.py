"""A member's entry into a contest, in two statements: the open contest locked (and who
may enter it read), then the entry numbered and inserted unless the member has one."""

from __future__ import annotations

import functools
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Integer, Select, Table, bindparam, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Attachment, Community, Member
from bot.storage.database import Database
from bot.storage.prepared import Prepared
from cogs.contests.eligibility import Requirements
from cogs.contests.models import GIVEAWAY, OPEN, Contest, ContestEntry


class EntryOutcome(StrEnum):
    ADDED = "added"
    ALREADY = "already"
    CLOSED = "closed"
    NOT_FOUND = "not_found"
    UNCHECKED = "unchecked"  # a giveaway with entry requirements not checked yet


# The tables, not the mapped classes, for an entry's two statements: the ORM's own
# handling of an UPDATE and of an INSERT cost more than the statements.
CONTESTS = cast(Table, Contest.__table__)
ENTRIES = cast(Table, ContestEntry.__table__)
TERMS = (
    CONTESTS.c.kind,
    CONTESTS.c.platform,
    CONTESTS.c.community_id,
    CONTESTS.c.required_role,
    CONTESTS.c.min_days,
    CONTESTS.c.min_messages,
)
ENTRY_COLUMNS = (
    "contest_id",
    "member_id",
    "member_name",
    "entered_at",
    "content",
    "file_name",
    "file_type",
    "file_data",
)


@functools.cache
def _lock_for_entry() -> Prepared:
    """A no-op UPDATE that locks an open contest's row, and says who may enter it: a close
    waits for an entry being recorded, and one recorded after the close is refused."""
    return Prepared(
        update(CONTESTS)
        .where(CONTESTS.c.id == bindparam("contest_id", type_=Integer), CONTESTS.c.state == OPEN)
        .values(state=CONTESTS.c.state)
        .returning(*TERMS)
    )


def _terms(contest_id: int) -> Select[Any]:
    return select(*TERMS).where(CONTESTS.c.id == contest_id)


def _refused(terms: Any, giveaway_in: Community | None, *, checked: bool) -> EntryOutcome | None:
    if giveaway_in is None:
        return None
    if terms.kind != GIVEAWAY or (terms.platform, terms.community_id) != (
        giveaway_in.platform,
        giveaway_in.id,
    ):
        return EntryOutcome.NOT_FOUND
    required = Requirements(terms.required_role, terms.min_days, terms.min_messages)
    return EntryOutcome.UNCHECKED if required.any and not checked else None


@functools.cache
def _record_entry() -> Prepared:
    """The entry with the next number, unless the member has one: no row returned then.
    Behind the contest's lock both see every entry committed before, so numbers go 1..N
    without gaps or repeats also with two processes; the unique key stays the last word."""
    # Each value typed by its column, so it is stored as the ORM would store it.
    given = {name: bindparam(name, type_=ENTRIES.c[name].type) for name in ENTRY_COLUMNS}
    of_contest = ENTRIES.c.contest_id == given["contest_id"]
    number = select(func.coalesce(func.max(ENTRIES.c.number), 0) + 1).where(of_contest)
    mine = exists().where(of_contest, ENTRIES.c.member_id == given["member_id"])
    row = select(given["contest_id"], number.scalar_subquery(), *list(given.values())[1:])
    columns = ["contest_id", "number", *list(given)[1:]]
    return Prepared(insert(ENTRIES).from_select(columns, row.where(~mine)).returning(ENTRIES.c.id))


class Entries:
    """A contest's entries, as members make them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def enter(
        self,
        contest_id: int,
        member: Member,
        now: datetime,
        content: str = "",
        file: Attachment | None = None,
        *,
        giveaway_in: Community | None = None,
        checked: bool = True,
    ) -> EntryOutcome:
        """Two statements: the open contest locked, the entry numbered and inserted unless
        the member has one. `giveaway_in`: a giveaway's button pressed in that community
        (another contest is NOT_FOUND); `checked`: its entry requirements, if any, already
        met (else UNCHECKED, nothing written)."""
        try:
            async with self.db.writing() as session:
                locked = await _lock_for_entry().rows(session, {"contest_id": contest_id})
                if not locked:
                    found = (await session.execute(_terms(contest_id))).one_or_none()
                    if found is None:
                        return EntryOutcome.NOT_FOUND
                    return _refused(found, giveaway_in, checked=True) or EntryOutcome.CLOSED
                refused = _refused(locked[0], giveaway_in, checked=checked)
                if refused is not None:
                    return refused
                recorded = await _record_entry().rows(
                    session,
                    {
                        "contest_id": contest_id,
                        "member_id": member.id,
                        "member_name": member.shown_name[:100],
                        "entered_at": now,
                        "content": content,
                        "file_name": file.filename[:200] if file else None,
                        "file_type": file.content_type[:100] if file else None,
                        "file_data": file.data if file else None,
                    },
                )
                return EntryOutcome.ADDED if recorded else EntryOutcome.ALREADY
        except IntegrityError:
            return EntryOutcome.ALREADY  # the same click, twice at once, past the lock
