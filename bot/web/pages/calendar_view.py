"""The calendar's week and month: which days a view shows, in the community's time zone,
and what falls on them, unrolled by the calendar cog's own recurrence rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.reports import CalendarEntry
from cogs.calendar.models import Announcement
from cogs.calendar.recurrence import occurrences_after

WEEK = "week"
MONTH = "month"
# A daily series in a month view is 31 posts; an hourly one is capped, not listed to the end.
MAX_PER_SERIES = 62


@dataclass(frozen=True, slots=True)
class Window:
    """The local days a view shows, [first, end), and the UTC instants they span."""

    view: str
    first: date
    end: date
    timezone: str

    @property
    def since(self) -> datetime:
        return _midnight(self.first, self.timezone)

    @property
    def until(self) -> datetime:
        return _midnight(self.end, self.timezone)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.end - self.first).days)]

    @property
    def previous(self) -> date:
        if self.view == WEEK:
            return self.first - timedelta(days=7)
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return self.end


def _midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def window(view: str, around: date, timezone: str) -> Window:
    """The week (Monday first) or the calendar month holding `around`."""
    if view == MONTH:
        first = around.replace(day=1)
        end = (first + timedelta(days=32)).replace(day=1)
        return Window(MONTH, first, end, timezone)
    first = around - timedelta(days=around.weekday())
    return Window(WEEK, first, first + timedelta(days=7), timezone)


@dataclass(frozen=True, slots=True)
class Occurrence:
    at: datetime
    kind: str
    what: str
    channel_id: str | None
    announcement: Announcement | None = None  # ours: it can be edited and cancelled here


@dataclass
class Day:
    day: date
    items: list[Occurrence] = field(default_factory=list)


def occurrences(row: Announcement, shown: Window) -> list[datetime]:
    """Every time the announcement posts inside the window, from its next one on."""
    if row.next_at is None:
        return []
    if row.rule is None:
        return [row.next_at] if shown.since <= row.next_at < shown.until else []
    local_start = datetime.fromisoformat(row.local_start)
    found: list[datetime] = []
    at: datetime | None = row.next_at
    if row.next_at < shown.since:  # straight to the window, not through every week before
        at = occurrences_after(row.rule, local_start, row.timezone, shown.since, inclusive=True)
    while at is not None and at < shown.until and len(found) < MAX_PER_SERIES:
        if row.ends_at is not None and at > row.ends_at:
            break
        found.append(at)
        at = occurrences_after(row.rule, local_start, row.timezone, at)
    return found


def lay_out(shown: Window, rows: list[Announcement], others: list[CalendarEntry]) -> list[Day]:
    days = {day: Day(day) for day in shown.days}
    zone = ZoneInfo(shown.timezone)
    placed: list[Occurrence] = []
    for row in rows:
        what = row.title or row.text
        placed.extend(
            Occurrence(at, row.kind, what, row.channel_id, row) for at in occurrences(row, shown)
        )
    placed.extend(
        Occurrence(entry.starts_at, entry.kind, entry.title, entry.channel_id)
        for entry in others
        if shown.since <= entry.starts_at < shown.until
    )
    for item in sorted(placed, key=lambda found: found.at):
        local = item.at.astimezone(zone).date()
        if local in days:
            days[local].items.append(item)
    return list(days.values())
