"""SQLite's writers of one process under contention: turns (bot/storage/turns.py) beside
SQLite's busy handler alone, in the same run on the same file.

Hot writers (a vote: one insert in `Database.writing()`) and plain ones (a cog's session:
a read, an insert, the loop given away, another insert) run at once, as a burst of votes
meets polls being created and members joining. Printed per kind: how long a transaction
took from asking to its commit, at the median, the 99th percentile and the worst, and how
long the whole burst took.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from bot.storage.database import Database

HOT_WRITERS, PLAIN_WRITERS = 4, 4
HOT_EACH, PLAIN_EACH = 200, 100
ROUNDS = 3


@dataclass(frozen=True, slots=True)
class Burst:
    seconds: float
    hot: list[float]  # milliseconds of each hot transaction
    plain: list[float]


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def _burst(database: Path, *, take_turns: bool) -> Burst:
    db = Database(f"sqlite+aiosqlite:///{database}", take_turns=take_turns)
    async with db.session() as session:
        await session.execute(text("CREATE TABLE vote (id INTEGER PRIMARY KEY, body TEXT)"))
        await session.execute(text("CREATE TABLE poll (id INTEGER PRIMARY KEY, body TEXT)"))
    hot: list[float] = []
    plain: list[float] = []

    async def vote() -> None:
        for _ in range(HOT_EACH):
            began = time.perf_counter()
            async with db.writing() as session:
                await session.execute(text("INSERT INTO vote (body) VALUES ('x')"))
            hot.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.002)

    async def create() -> None:
        for _ in range(PLAIN_EACH):
            began = time.perf_counter()
            async with db.session() as session:
                await session.execute(text("SELECT count(*) FROM poll"))
                await session.execute(text("INSERT INTO poll (body) VALUES ('q')"))
                await asyncio.sleep(0.001)
                await session.execute(text("INSERT INTO poll (body) VALUES ('o')"))
            plain.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.004)

    began = time.perf_counter()
    await asyncio.gather(
        *(vote() for _ in range(HOT_WRITERS)), *(create() for _ in range(PLAIN_WRITERS))
    )
    seconds = time.perf_counter() - began
    await db.dispose()
    return Burst(seconds, hot, plain)


def _line(name: str, bursts: list[Burst]) -> str:
    def kind(label: str, pick: str) -> str:
        values = [getattr(burst, pick) for burst in bursts]
        p50 = statistics.median(_quantile(v, 0.5) for v in values)
        p99 = statistics.median(_quantile(v, 0.99) for v in values)
        worst = statistics.median(max(v) for v in values)
        return f"{label} p50 {p50:.1f} p99 {p99:.1f} max {worst:.0f} ms"

    took = statistics.median(burst.seconds for burst in bursts)
    return f"  {name:<22} burst {took:.2f} s; {kind('votes', 'hot')}; {kind('sessions', 'plain')}"


async def measure_writers() -> str:
    """Alternating rounds, so that the machine's load weighs on both alike; medians."""
    turns: list[Burst] = []
    alone: list[Burst] = []
    with tempfile.TemporaryDirectory(prefix="ponte-writers-") as folder:
        for number in range(ROUNDS):
            alone.append(await _burst(Path(folder) / f"alone{number}.db", take_turns=False))
            turns.append(await _burst(Path(folder) / f"turns{number}.db", take_turns=True))
    p99_alone = statistics.median(_quantile(b.hot + b.plain, 0.99) for b in alone)
    p99_turns = statistics.median(_quantile(b.hot + b.plain, 0.99) for b in turns)
    return "\n".join(
        [
            f"SQLite writers under contention ({HOT_WRITERS} voting, {PLAIN_WRITERS} in "
            f"sessions, {ROUNDS} rounds)",
            _line("busy handler alone", alone),
            _line("turns", turns),
            f"  p99 of every transaction: {p99_alone / p99_turns:.1f}× lower with turns",
        ]
    )


if __name__ == "__main__":
    print(asyncio.run(measure_writers()))
