"""When complaints are a spike: the rate in a rolling window against the community's own
baseline for that hour of that weekday, and the life of an alert (open, updated, over).

Pure functions over counts, so the live cog and the month-long benchmark run the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

HOURS_PER_WEEK = 7 * 24


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What a spike is; every number is a community setting (`/crisis settings`)."""

    window_minutes: int = 15
    min_complaints: int = 8  # fewer than this in the window is never a crisis
    min_members: int = 3  # one angry member is a conversation, not a crisis
    ratio: float = 4.0  # complaints at least this many times what is usual
    z: float = 4.0  # and this many standard deviations above it (Poisson)
    cooldown_minutes: int = 30  # calm for this long before the alert says it is over
    # A community with no history yet: this share of messages are complaints...
    default_share: float = 0.05
    # ...and this many complaints an hour are usual even when the channel is quiet.
    default_hourly: float = 1.0
    baseline_weeks: int = 6

    @property
    def short_minutes(self) -> int:
        """A second, shorter window: a sudden burst is clear in it minutes before the long
        one, which catches the slower rises."""
        return max(3, self.window_minutes // 3)


@dataclass(frozen=True, slots=True)
class HourCount:
    """One hour of one community: messages and complaints (no text)."""

    hour: datetime  # the hour's start, UTC
    messages: int
    complaints: int


def hour_of_week(moment: datetime, timezone: str) -> int:
    local = moment.astimezone(ZoneInfo(timezone))
    return local.weekday() * 24 + local.hour


@dataclass(frozen=True, slots=True)
class Slot:
    """The same hour of the week, over the weeks seen."""

    weeks: int
    messages: int
    complaints: int


@dataclass(frozen=True, slots=True)
class Baseline:
    slots: dict[int, Slot]
    overall_share: float | None  # complaints per message over all the history kept

    @classmethod
    def learn(
        cls, hours: Iterable[HourCount], timezone: str, now: datetime, weeks: int
    ) -> Baseline:
        """From the past weeks' hourly counts; the hour now running is not history yet."""
        since = now - timedelta(weeks=weeks)
        current = now.replace(minute=0, second=0, microsecond=0)
        seen: dict[int, list[HourCount]] = {}
        total_messages = total_complaints = 0
        for count in hours:
            if count.hour < since or count.hour >= current:
                continue
            seen.setdefault(hour_of_week(count.hour, timezone), []).append(count)
            total_messages += count.messages
            total_complaints += count.complaints
        slots = {
            slot: Slot(
                len(counts), sum(c.messages for c in counts), sum(c.complaints for c in counts)
            )
            for slot, counts in seen.items()
        }
        share = total_complaints / total_messages if total_messages >= 200 else None
        return cls(slots, share)

    def expected(
        self,
        moment: datetime,
        timezone: str,
        messages_in_window: int,
        limits: Thresholds,
        minutes: int | None = None,
    ) -> float:
        """Complaints usual in a window now: the larger of what this hour of the week
        usually brings and the usual share of the messages being written; never below the
        defaults' share, so a lively launch full of praise does not make every gripe a spike.
        """
        window_hours = (minutes or limits.window_minutes) / 60
        share = self.overall_share if self.overall_share is not None else limits.default_share
        slot = self.slots.get(hour_of_week(moment, timezone))
        hourly = limits.default_hourly
        if slot is not None and slot.weeks:
            hourly = max(hourly, slot.complaints / slot.weeks)
            if slot.messages >= 50:
                share = max(share, slot.complaints / slot.messages)
        return max(hourly * window_hours, share * messages_in_window)


@dataclass(frozen=True, slots=True)
class Window:
    """What the rolling window holds now."""

    messages: int
    complaints: int
    members: int  # distinct members who complained


@dataclass(frozen=True, slots=True)
class Assessment:
    window: Window
    expected: float
    spike: bool

    @property
    def ratio(self) -> float:
        return self.window.complaints / self.expected if self.expected > 0 else math.inf

    @property
    def z(self) -> float:
        return (self.window.complaints - self.expected) / math.sqrt(max(self.expected, 0.25))


def assess(window: Window, expected: float, limits: Thresholds) -> Assessment:
    observed = window.complaints
    spike = (
        observed >= limits.min_complaints
        and window.members >= limits.min_members
        and observed >= limits.ratio * expected
        and (observed - expected) / math.sqrt(max(expected, 0.25)) >= limits.z
    )
    return Assessment(window, expected, spike)


def either(long: Assessment, short: Assessment) -> Assessment:
    """The long window's figures, a spike when either window shows one."""
    return Assessment(long.window, long.expected, long.spike or short.spike)


class Step(Enum):
    NOTHING = "nothing"
    OPEN = "open"  # post the urgent alert
    UPDATE = "update"  # edit it: still going
    OVER = "over"  # edit it a last time: calm for the whole cooldown


@dataclass(frozen=True, slots=True)
class AlertState:
    started_at: datetime
    last_spike_at: datetime  # the last time the window was a spike


def next_step(
    alert: AlertState | None, assessment: Assessment, now: datetime, limits: Thresholds
) -> Step:
    if alert is None:
        return Step.OPEN if assessment.spike else Step.NOTHING
    if assessment.spike:
        return Step.UPDATE
    if now - alert.last_spike_at >= timedelta(minutes=limits.cooldown_minutes):
        return Step.OVER
    return Step.UPDATE


def trend(counts: list[int]) -> str:
    """Complaints per slice of the window, oldest first, as a small bar chart."""
    bars = "▁▂▃▄▅▆▇█"
    top = max(counts, default=0)
    if top == 0:
        return bars[0] * len(counts)
    return "".join(bars[min(len(bars) - 1, round(c / top * (len(bars) - 1)))] for c in counts)
