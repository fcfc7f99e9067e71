"""When complaints are a spike: the complaints of every window up to the rolling one
(the last minute, the last two, ... the last 15) against the community's own baseline for
that hour of that weekday, and the life of an alert (open, updated, over).

Each window is an exact Poisson test: how likely so many complaints would be if nothing
were wrong. A sudden burst is clear in the last few minutes and a slow rise only over
the whole window, so every span is tried; the evidence asked of each is strict enough that
looking at fifteen of them a minute, all month, stays quiet on ordinary traffic.

Pure functions over counts, so the live cog and the month-long benchmark run the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from statistics import NormalDist
from zoneinfo import ZoneInfo

HOURS_PER_WEEK = 7 * 24
SLOT_PRIOR = 500  # messages


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What a spike is; every number is a community setting (`/crisis settings`)."""

    window_minutes: int = 15  # the longest window looked at; every shorter one is too
    min_complaints: int = 5  # fewer than this in a window is never a crisis
    min_members: int = 3  # one angry member is a conversation, not a crisis
    ratio: float = 4.0  # complaints at least this many times what is usual
    # And as unlikely by chance as a normal variable this many standard deviations above
    # its mean (about 2 in 100 million at 5.5): a window is judged 15 times a minute, so
    # anything laxer raises false alerts on busy evenings over a few months.
    z: float = 5.5
    cooldown_minutes: int = 30  # calm for this long before the alert says it is over
    # A community with no history yet: this share of messages are complaints...
    default_share: float = 0.05
    # ...and this many complaints an hour are usual even when the channel is quiet.
    default_hourly: float = 1.0
    baseline_weeks: int = 6


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
        ordinary: int,
        limits: Thresholds,
        minutes: int | None = None,
    ) -> float:
        """Complaints usual in a window now: the larger of what this hour of the week
        usually brings and the usual share of the `ordinary` (not complaining) messages
        being written; never below the defaults' share, so a lively launch full of praise
        does not make every gripe a spike. The complaints themselves are left out of the
        traffic they are weighed against: a burst of them would otherwise raise its own bar.
        """
        window_hours = (minutes or limits.window_minutes) / 60
        share = self.overall_share if self.overall_share is not None else limits.default_share
        slot = self.slots.get(hour_of_week(moment, timezone))
        hourly = limits.default_hourly
        if slot is not None and slot.weeks:
            hourly = max(hourly, slot.complaints / slot.weeks)
            # A few weeks of one hour say little on their own: they are weighed with the
            # whole history as if it were SLOT_PRIOR more messages of this hour.
            share = (slot.complaints + SLOT_PRIOR * share) / (slot.messages + SLOT_PRIOR)
        share = min(share, 0.5)
        return max(hourly * window_hours, share / (1 - share) * ordinary)


@dataclass(frozen=True, slots=True)
class Window:
    """What the rolling window holds now."""

    messages: int
    complaints: int
    members: int  # distinct members who complained

    @property
    def ordinary(self) -> int:
        return max(0, self.messages - self.complaints)


@dataclass(frozen=True, slots=True)
class Minute:
    """One minute of one community: messages, complaints and who complained."""

    messages: int = 0
    complaints: int = 0
    members: frozenset[str] = frozenset()


def windows(minutes: Sequence[Minute]) -> list[Window]:
    """The last minute, the last two, ... every window over `minutes` (newest first)."""
    found: list[Window] = []
    messages = complaints = 0
    members: set[str] = set()
    for minute in minutes:
        messages += minute.messages
        complaints += minute.complaints
        members |= minute.members
        found.append(Window(messages, complaints, len(members)))
    return found


def poisson_tail(observed: int, mean: float) -> float:
    """P(X >= observed) for X ~ Poisson(mean), summed upwards so that tiny tails stay exact."""
    if observed <= 0:
        return 1.0
    mean = max(mean, 1e-9)
    term = math.exp(observed * math.log(mean) - mean - math.lgamma(observed + 1))
    total, k = 0.0, observed
    while term > total * 1e-12 and k < observed + 1000:
        total += term
        k += 1
        term *= mean / k
    return min(1.0, total)


def normal_tail(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


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
        """How unlikely the window is by chance, told as standard deviations of a normal
        variable: the exact Poisson tail, in the scale the setting is given in."""
        tail = poisson_tail(self.window.complaints, self.expected)
        if tail >= 0.5:
            return 0.0
        return -NormalDist().inv_cdf(max(tail, 1e-300))


def assess(window: Window, expected: float, limits: Thresholds) -> Assessment:
    observed = window.complaints
    spike = (
        observed >= limits.min_complaints
        and window.members >= limits.min_members
        and observed >= limits.ratio * expected
        and poisson_tail(observed, expected) <= normal_tail(limits.z)
    )
    return Assessment(window, expected, spike)


def scan(
    minutes: Sequence[Minute],
    baseline: Baseline,
    now: datetime,
    timezone: str,
    limits: Thresholds,
) -> Assessment:
    """The whole window's figures (what staff read), a spike when any window up to it
    shows one. `minutes` are the last ones, newest first."""
    found = windows(minutes[: limits.window_minutes])
    if not found:
        found = [Window(0, 0, 0)]
    spike = False
    for span, window in enumerate(found, start=1):
        if window.complaints < limits.min_complaints or window.members < limits.min_members:
            continue  # the cheap floors first: most minutes stop here
        expected = baseline.expected(now, timezone, window.ordinary, limits, span)
        if assess(window, expected, limits).spike:
            spike = True
            break
    whole = found[-1]
    expected = baseline.expected(now, timezone, whole.ordinary, limits, limits.window_minutes)
    return Assessment(whole, expected, spike)


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
