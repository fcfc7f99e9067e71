"""The spike rule and its baseline, and one alert per spike across two processes on SQLite
and PostgreSQL."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.crisis.detector import (
    AlertState,
    Baseline,
    HourCount,
    Minute,
    Step,
    Thresholds,
    Window,
    assess,
    hour_of_week,
    next_step,
    poisson_tail,
    scan,
)
from cogs.crisis.service import CrisisService
from tests.postgres import fresh_postgres

ROME = "Europe/Rome"
LIMITS = Thresholds()
# A Friday evening, 21:00 in Rome.
FRIDAY = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
COMMUNITY = Community("console", "c1", "Test")


def history(weeks: int, messages: int, complaints: int) -> list[HourCount]:
    """The same hour of the week, `weeks` weeks running, before FRIDAY."""
    return [
        HourCount(FRIDAY - timedelta(weeks=w), messages, complaints) for w in range(1, weeks + 1)
    ]


def test_hour_of_week_is_the_communitys_own() -> None:
    assert hour_of_week(FRIDAY, ROME) == 4 * 24 + 21
    assert hour_of_week(FRIDAY, "UTC") == 4 * 24 + 20


def judged(baseline: Baseline, window: Window) -> bool:
    """The spike rule on one window, weighed against what the baseline expects of it."""
    expected = baseline.expected(FRIDAY, ROME, window.ordinary, LIMITS)
    return assess(window, expected, LIMITS).spike


def test_a_new_community_uses_the_defaults() -> None:
    baseline = Baseline.learn([], ROME, FRIDAY, 6)
    # 38 ordinary messages: 2 complaints among them would be the default 5%.
    assert baseline.expected(FRIDAY, ROME, 38, LIMITS) == pytest.approx(2.0)
    assert not judged(baseline, Window(40, 5, 4))
    assert judged(baseline, Window(45, 15, 6))


def test_a_burst_of_complaints_does_not_raise_its_own_bar() -> None:
    # The complaints are left out of the traffic they are weighed against.
    baseline = Baseline.learn([], ROME, FRIDAY, 6)
    assert baseline.expected(FRIDAY, ROME, Window(60, 40, 30).ordinary, LIMITS) == (
        baseline.expected(FRIDAY, ROME, 20, LIMITS)
    )


def test_a_busy_evening_with_its_usual_complaints_is_no_spike() -> None:
    # Friday evenings bring 60 complaints an hour: 15 in a quarter of an hour is ordinary.
    baseline = Baseline.learn(history(4, 1200, 60), ROME, FRIDAY, 6)
    assert baseline.expected(FRIDAY, ROME, 285, LIMITS) == pytest.approx(15.0)
    assert not judged(baseline, Window(300, 15, 12))
    assert not judged(baseline, Window(300, 30, 12))
    assert judged(baseline, Window(330, 60, 25))


def test_a_sudden_burst_alerts_before_the_whole_window_shows_it() -> None:
    baseline = Baseline.learn(history(4, 1200, 60), ROME, FRIDAY, 6)
    calm = [Minute(20, 1, frozenset({f"u{n}"})) for n in range(13)]
    burst = [Minute(20, 8, frozenset(f"b{n}-{m}" for m in range(8))) for n in range(2)]
    minutes = burst + calm  # newest first
    assessment = scan(minutes, baseline, FRIDAY, ROME, LIMITS)
    assert assessment.spike
    # The quarter of an hour alone (29 complaints where 15 are usual) is not yet a spike:
    # the last two minutes are.
    assert assessment.window.complaints == 29 and not judged(baseline, assessment.window)
    assert not scan(calm, baseline, FRIDAY, ROME, LIMITS).spike


def test_the_evidence_is_the_exact_poisson_tail() -> None:
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2.0))
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1.0) * (1 + 1 + 0.5))
    # Twelve complaints where one is usual: far beyond the normal approximation's reach.
    assert poisson_tail(12, 1.0) == pytest.approx(math.exp(-1.0) / math.factorial(12), rel=0.1)


def test_a_launch_full_of_praise_does_not_lower_the_bar() -> None:
    # Ten times the usual messages, the usual share of complaints: nothing to tell.
    baseline = Baseline.learn(history(4, 400, 8), ROME, FRIDAY, 6)
    assert not judged(baseline, Window(1000, 25, 20))


def test_one_member_alone_is_no_spike() -> None:
    assert not assess(Window(20, 20, 1), 0.5, LIMITS).spike


def test_the_hour_running_is_not_its_own_baseline() -> None:
    running = [HourCount(FRIDAY, 100, 90)]
    baseline = Baseline.learn(running, ROME, FRIDAY + timedelta(minutes=30), 6)
    assert baseline.slots == {}


def test_an_alert_ends_only_after_a_calm_cooldown() -> None:
    calm = assess(Window(10, 0, 0), 0.5, LIMITS)
    spike = assess(Window(30, 20, 8), 0.5, LIMITS)
    assert next_step(None, spike, FRIDAY, LIMITS) is Step.OPEN
    assert next_step(None, calm, FRIDAY, LIMITS) is Step.NOTHING
    state = AlertState(FRIDAY, FRIDAY)
    assert next_step(state, spike, FRIDAY + timedelta(minutes=5), LIMITS) is Step.UPDATE
    assert next_step(state, calm, FRIDAY + timedelta(minutes=29), LIMITS) is Step.UPDATE
    assert next_step(state, calm, FRIDAY + timedelta(minutes=30), LIMITS) is Step.OVER


@asynccontextmanager
async def two_processes(url: str) -> AsyncIterator[tuple[CrisisService, CrisisService]]:
    await asyncio.to_thread(upgrade, url)
    first, second = Database(url), Database(url)
    try:
        yield CrisisService(first), CrisisService(second)
    finally:
        await first.dispose()
        await second.dispose()


async def _once_per_spike(here: CrisisService, there: CrisisService) -> None:
    # The other cogs' tables are read as they are on this database.
    assert await here.window(COMMUNITY, FRIDAY, 15) == Window(0, 0, 0)
    claims = await asyncio.gather(*(s.claim(COMMUNITY, FRIDAY, 9) for s in (here, there) * 3))
    opened = [claim for claim in claims if claim is not None]
    assert len(opened) == 1
    later = FRIDAY + timedelta(minutes=5)
    await here.spiking(opened[0], later, 12)
    await there.spiking(opened[0], FRIDAY, 4)  # late and smaller: changes nothing
    alert = await there.open_alert(COMMUNITY)
    assert alert is not None and (alert.peak, alert.last_spike_at) == (12, later)
    results = await asyncio.gather(here.finish(opened[0], FRIDAY), there.finish(opened[0], FRIDAY))
    assert sorted(results) == [False, True]
    # Over: the next spike may claim a new alert.
    assert await there.claim(COMMUNITY, FRIDAY + timedelta(hours=1), 7) is not None


async def test_one_alert_per_spike_across_two_processes_sqlite(tmp_path: Path) -> None:
    async with two_processes(f"sqlite+aiosqlite:///{tmp_path / 'two.db'}") as (here, there):
        await _once_per_spike(here, there)


async def test_one_alert_per_spike_across_two_processes_postgres() -> None:
    async with fresh_postgres() as url, two_processes(url) as (here, there):
        await _once_per_spike(here, there)


async def test_counts_and_window_from_the_tables(tmp_path: Path) -> None:
    async with two_processes(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}") as (here, there):
        for number in range(5):
            complaint = ("general", f"m{number}", f"u{number % 2}", "non funziona niente")
            await here.record(COMMUNITY, FRIDAY + timedelta(minutes=number), complaint=complaint)
            await there.record(COMMUNITY, FRIDAY + timedelta(minutes=number), complaint=None)
        window = await there.window(COMMUNITY, FRIDAY + timedelta(minutes=5), 15)
        assert window == Window(messages=10, complaints=5, members=2)
        hours = await here.hours(COMMUNITY, FRIDAY - timedelta(hours=1))
        assert [(h.messages, h.complaints) for h in hours] == [(10, 5)]
        # A message delivered twice (a retry) is one complaint.
        retry = ("general", "m0", "u0", "non funziona niente")
        await here.record(COMMUNITY, FRIDAY, complaint=retry)
        assert (await here.window(COMMUNITY, FRIDAY + timedelta(minutes=5), 15)).complaints == 5


async def _minute_by_minute(here: CrisisService, there: CrisisService) -> None:
    # Two complaints from one member a minute ago, one from another member four minutes ago
    # (half a minute into it), a chat message now; a complaint 20 minutes ago is too old.
    await here.record(COMMUNITY, FRIDAY - timedelta(minutes=20), complaint=("g", "old", "u9", "x"))
    moments = [FRIDAY - timedelta(minutes=4, seconds=30), FRIDAY - timedelta(minutes=1)]
    await here.record(COMMUNITY, moments[0], complaint=("g", "a", "u1", "non va"))
    for number in range(2):
        await there.record(COMMUNITY, moments[1], complaint=("g", f"b{number}", "u2", "rotto"))
    await here.record(COMMUNITY, FRIDAY, complaint=None)
    minutes = await there.minutes(COMMUNITY, FRIDAY + timedelta(seconds=10), 15)
    assert len(minutes) == 15
    assert minutes[0] == Minute(1, 0, frozenset())
    assert minutes[1] == Minute(2, 2, frozenset({"u2"}))
    assert minutes[5] == Minute(1, 1, frozenset({"u1"}))  # the minute it began in
    assert sum(minute.complaints for minute in minutes) == 3
    window = await here.window(COMMUNITY, FRIDAY + timedelta(seconds=10), 15)
    assert window == Window(messages=4, complaints=3, members=2)


async def test_the_window_minute_by_minute_sqlite(tmp_path: Path) -> None:
    async with two_processes(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}") as (here, there):
        await _minute_by_minute(here, there)


async def test_the_window_minute_by_minute_postgres() -> None:
    async with fresh_postgres() as url, two_processes(url) as (here, there):
        await _minute_by_minute(here, there)
