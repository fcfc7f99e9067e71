"""Which week a digest covers and when it is due, in the community's time zone.

A week is seven whole local days ending (exclusive) on the day the digest is posted, so
its daily and hourly rollups fit it exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Week:
    end: date  # local day after the week's last day: the digest's day
    timezone: str

    @property
    def days(self) -> list[date]:
        return [self.end - timedelta(days=7 - offset) for offset in range(7)]

    @property
    def previous_days(self) -> list[date]:
        return [day - timedelta(days=7) for day in self.days]

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=ZoneInfo(self.timezone)).astimezone(UTC)

    @property
    def since(self) -> datetime:
        return self.midnight(self.end - timedelta(days=7))

    @property
    def until(self) -> datetime:
        return self.midnight(self.end)

    @property
    def previous_since(self) -> datetime:
        return self.midnight(self.end - timedelta(days=14))


def due_at(day: date, hour: int, timezone: str) -> datetime:
    # A skipped or repeated local hour (DST) resolves to the first instant of that name.
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def latest_due(now: datetime, weekday: int, hour: int, timezone: str) -> tuple[Week, datetime]:
    """The most recent digest moment at or before `now`, and the week it covers."""
    local = now.astimezone(ZoneInfo(timezone)).date()
    day = local - timedelta(days=(local.weekday() - weekday) % 7)
    due = due_at(day, hour, timezone)
    if due > now:
        day -= timedelta(days=7)
        due = due_at(day, hour, timezone)
    return Week(day, timezone), due


def next_due(now: datetime, weekday: int, hour: int, timezone: str) -> datetime:
    week, _ = latest_due(now, weekday, hour, timezone)
    return due_at(week.end + timedelta(days=7), hour, timezone)


def preview_week(now: datetime, timezone: str) -> Week:
    """The last seven days, today included: what `/digest now` shows."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    return Week(today + timedelta(days=1), timezone)
