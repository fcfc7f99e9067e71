"""The weekly digest on a year of history: rollups against a naive scan of raw rows.

A community with 1,000,000 messages from 50,000 members over a year (`--full`; the default
run is a tenth of it) is loaded through the same upserts the live listeners use, in bulk,
beside a raw table of the same messages that only this benchmark keeps. Then the digest's
figures are computed from the rollups, and the same figures from the raw rows, on SQLite
and on PostgreSQL. Last, the message path through the whole console bot with and without
the digest cog: what the rollups add to each message.

    python -m benchmarks.digest [--full] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, select

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.digest.activity import Rollups, hour_of, local_day
from cogs.digest.chart import ChartText, activity_chart
from cogs.digest.figures import compute
from cogs.digest.week import Week, latest_due

TIMEZONE = "Europe/Rome"
COMMUNITY = Community("bench", "community", "Bench")
CHANNELS = 24
BATCH = 20_000
END = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # just before a Monday digest
RAW = MetaData()
raw_messages = Table(
    "bench_raw_messages",
    RAW,
    Column("id", Integer, primary_key=True),
    Column("community_id", String(64)),
    Column("channel_id", String(64)),
    Column("member_id", String(64)),
    Column("posted_at", DateTime(timezone=True)),
    Index("ix_bench_raw_posted", "community_id", "posted_at"),
)


@dataclass(frozen=True, slots=True)
class Size:
    messages: int
    members: int


def _history(size: Size, seed: int = 11) -> list[tuple[str, str, datetime]]:
    """(channel, member, moment) over a year: evenings busier, weekends quieter, a few
    members writing most, a few channels holding most of the talk."""
    rng = random.Random(seed)
    hour_weight = [
        1,
        0.5,
        0.3,
        0.2,
        0.2,
        0.3,
        0.6,
        1.2,
        2,
        2.5,
        3,
        3,
        3,
        2.8,
        2.6,
        2.6,
        2.8,
        3.2,
        4,
        4.5,
        4.5,
        4,
        3,
        2,
    ]
    start = END - timedelta(days=365)
    hours = [start + timedelta(hours=h) for h in range(365 * 24)]
    weights = [
        hour_weight[moment.astimezone(ZoneInfo(TIMEZONE)).hour]
        * (0.7 if moment.weekday() >= 5 else 1.0)
        * (1 + index / len(hours))  # the community grows over the year
        for index, moment in enumerate(hours)
    ]
    picked_hours = rng.choices(hours, weights, k=size.messages)
    members = [f"m{number}" for number in range(size.members)]
    member_weights = [1 / (rank + 1) ** 0.8 for rank in range(size.members)]
    picked_members = rng.choices(members, member_weights, k=size.messages)
    channel_weights = [1 / (rank + 1) for rank in range(CHANNELS)]
    picked_channels = rng.choices(range(CHANNELS), channel_weights, k=size.messages)
    return sorted(
        (
            (f"c{channel}", member, hour + timedelta(seconds=rng.randrange(3600)))
            for channel, member, hour in zip(
                picked_channels, picked_members, picked_hours, strict=True
            )
        ),
        key=lambda item: item[2],
    )


async def _load(db: Database, history: list[tuple[str, str, datetime]], members: int) -> float:
    """The same upserts as the listeners, many rows per statement; returns the seconds."""
    rollups = Rollups(db.dialect)
    where = {"platform": COMMUNITY.platform, "community_id": COMMUNITY.id}
    started = time.perf_counter()
    for first in range(0, len(history), BATCH):
        chunk = history[first : first + BATCH]
        async with db.session() as session:
            await session.execute(
                rollups.activity,
                [{**where, "channel_id": c, "hour": hour_of(at)} for c, _, at in chunk],
            )
            await session.execute(
                rollups.member_day,
                [{**where, "day": local_day(at, TIMEZONE), "member_id": m} for _, m, at in chunk],
            )
            await session.execute(
                raw_messages.insert(),
                [
                    {"community_id": COMMUNITY.id, "channel_id": c, "member_id": m, "posted_at": at}
                    for c, m, at in chunk
                ],
            )
    joins = [
        END - timedelta(days=365) + timedelta(minutes=(n * 525_600) // members)
        for n in range(members)
    ]
    async with db.session() as session:
        await session.execute(rollups.joined, [{**where, "hour": hour_of(at)} for at in joins])
    return time.perf_counter() - started


async def _digest(db: Database, week: Week) -> tuple[float, float, int]:
    """Seconds for the figures from the rollups, seconds for the chart, messages counted."""
    started = time.perf_counter()
    async with db.session() as session:
        figures = await compute(session, COMMUNITY, week, names=True)
    computed = time.perf_counter()
    labels = ChartText("t", tuple(str(day.day) for day in week.days), "a", "b", "y", "x")
    activity_chart(labels, [n for _, n, _ in figures.per_day], [b for _, _, b in figures.per_day])
    return computed - started, time.perf_counter() - computed, figures.messages.now


async def _naive(db: Database, week: Week) -> tuple[float, int]:
    """The same figures from the raw rows: every message of the fortnight read back."""
    zone = ZoneInfo(TIMEZONE)
    started = time.perf_counter()
    async with db.session() as session:
        rows = await session.execute(
            select(
                raw_messages.c.channel_id, raw_messages.c.member_id, raw_messages.c.posted_at
            ).where(
                raw_messages.c.community_id == COMMUNITY.id,
                raw_messages.c.posted_at >= week.previous_since,
                raw_messages.c.posted_at < week.until,
            )
        )
        per_day: Counter[object] = Counter()
        channels: Counter[str] = Counter()
        hours: Counter[int] = Counter()
        active_now: set[str] = set()
        active_before: set[str] = set()
        for channel, member, posted in rows:
            moment = posted if posted.tzinfo else posted.replace(tzinfo=UTC)
            local = moment.astimezone(zone)
            per_day[local.date()] += 1
            if moment >= week.since:
                channels[channel] += 1
                hours[local.hour] += 1
                active_now.add(member)
            else:
                active_before.add(member)
    return time.perf_counter() - started, sum(per_day[day] for day in week.days)


async def _measure_database(
    url: str, label: str, history: list[tuple[str, str, datetime]], size: Size
) -> str:
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(RAW.create_all)
        load = await _load(db, history, size.members)
        week, _ = latest_due(END + timedelta(hours=2), 0, 9, TIMEZONE)
        await _digest(db, week)  # warm the caches and matplotlib's fonts once
        figures, chart, counted = min([await _digest(db, week) for _ in range(3)])
        naive, scanned = min([await _naive(db, week) for _ in range(3)])
        assert counted == scanned, (counted, scanned)
    finally:
        await db.dispose()
    return (
        f"digest on {label}: {figures + chart:.3f} s (target < 2 s): figures from the rollups "
        f"{figures:.3f} s + chart {chart:.3f} s; the same figures from a scan of the raw rows "
        f"of the fortnight (indexed by time) {naive:.3f} s, {naive / figures:.1f}× the "
        f"rollups; {counted:,} messages in the week; bulk load {load:.0f} s"
    )


async def _message_path(messages: int) -> str:
    from benchmarks.digest_path import message_path

    without, with_digest = await message_path(messages)
    return (
        f"message path through the console bot (netiquette and recurring questions off in "
        f"both): {with_digest * 1000:.1f} ms a message with the digest's rollups, "
        f"{without * 1000:.1f} ms without; {with_digest / without:.2f}× the cost"
    )


async def run(full: bool, postgres: bool) -> list[str]:
    size = Size(1_000_000, 50_000) if full else Size(100_000, 5_000)
    history = _history(size)
    lines = [f"digest history: {size.messages:,} messages, {size.members:,} members over a year"]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'digest.db'}"
        lines.append(await _measure_database(url, "SQLite", history, size))
    if postgres:
        from tests.postgres import fresh_postgres

        async with fresh_postgres() as url:
            lines.append(await _measure_database(url, "PostgreSQL", history, size))
    lines.append(await _message_path(400))
    return lines


def report(full: bool = False, postgres: bool = True) -> str:
    return "\n".join(asyncio.run(run(full, postgres)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 messages, 50,000 members")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    options = parser.parse_args()
    sys.stdout.write(report(options.full, not options.no_postgres) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
