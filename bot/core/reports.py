"""What a cog tells the weekly digest and the calendar, through one small interface each,
so that a cog landing later adds its own section without the digest or calendar changing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.cards import Field
from bot.core.model import Community

if TYPE_CHECKING:
    from bot.core.cog import Cog


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """The week a digest covers, and the week before it for the changes."""

    community: Community
    since: datetime
    until: datetime
    previous_since: datetime
    language: str
    timezone: str
    name_members: bool = False  # privacy: members are named only where the community allows


@dataclass(frozen=True, slots=True)
class ReportSection:
    """One cog's part of the digest: a title and its figures, already translated."""

    title: str
    fields: tuple[Field, ...] = ()
    order: int = 100  # sections are shown by this, then by title


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """Something scheduled that the editorial calendar lists (a quiz, a contest's end)."""

    cog: str
    id: str
    starts_at: datetime
    title: str
    channel_id: str | None = None
    kind: str = "event"  # a catalog suffix: calendar.kind.<kind>


@dataclass
class CogRegistry:
    """The loaded cogs, for the cogs that ask all the others (digest, calendar, help)."""

    _cogs: list[Cog] = field(default_factory=list)

    def replace(self, cogs: Sequence[Cog]) -> None:
        self._cogs = list(cogs)

    def __iter__(self) -> Iterator[Cog]:
        return iter(self._cogs)
