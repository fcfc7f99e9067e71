"""What a cog keeps about a member, through one small interface, so that `/privacy export`
and `/privacy delete` reach every cog, also the ones that land later, and the retention of
stored message text is carried out by each cog on its own tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import String, cast, literal
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

# An erased member's rows that stay for the counts (a vote, an entry) name nobody: this,
# and the row's own id so that the table's uniqueness holds.
ERASED = "erased"


@dataclass(frozen=True, slots=True)
class DataSubject:
    """A member of one community: whose data is exported or erased."""

    platform: str
    community_id: str
    member_id: str


def erased_id(row_id: InstrumentedAttribute[int], prefix: str = "") -> ColumnElement[str]:
    """What an erased member's row is keyed by instead, worked out in the UPDATE itself
    from the row's id, so one statement unlinks every row. `prefix` keeps two kinds of
    row apart in one column (a contest's entries and its votes)."""
    return literal(f"{ERASED}-{prefix}") + cast(row_id, String)


class PersonalData(Protocol):
    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        """Everything this cog keeps about the member: lists, dicts, strings, numbers (dates
        are written as ISO 8601); empty for nothing."""
        ...

    async def erase(self, subject: DataSubject) -> int:
        """Delete the member's data, or unlink it from them where a count must stay (a
        vote in a closed poll); return how many records changed."""
        ...

    async def expire(self, before: datetime) -> int:
        """Blank the message text stored before `before`, keeping the rows for the counts;
        return how many rows changed."""
        ...
