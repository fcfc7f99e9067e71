"""Deadlines armed again from the rows: harmless for a known one, also while it runs, and
the periodic round goes on past a cog that fails and past a database outage."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.config import Settings
from bot.core.clock import SystemClock
from bot.core.cog import Cog
from bot.core.rearm import Rearm
from bot.core.scheduler import Scheduler
from bot.core.services import Services


async def test_arming_a_known_deadline_again_runs_it_once() -> None:
    clock = SystemClock()
    scheduler = Scheduler(clock)
    ran: list[str] = []
    started = asyncio.Event()
    release = asyncio.Event()

    async def handler(key: str) -> None:
        ran.append(key)
        started.set()
        await release.wait()

    scheduler.on("demo", handler)
    await scheduler.start()
    try:
        when = clock.now() + timedelta(milliseconds=100)
        scheduler.schedule("demo", "poll", when)
        scheduler.schedule("demo", "poll", when)  # a round while it waits
        await asyncio.wait_for(started.wait(), timeout=5)
        scheduler.schedule("demo", "poll", when)  # a round that read the rows before the run
        assert scheduler.knows("demo", "poll")
        release.set()
        await asyncio.sleep(0.3)
        assert ran == ["poll"]
        assert scheduler.pending() == []
        assert not scheduler.knows("demo", "poll")
    finally:
        await scheduler.stop()


async def test_a_running_deadline_may_still_set_its_next_one() -> None:
    clock = SystemClock()
    scheduler = Scheduler(clock)
    later = clock.now() + timedelta(hours=1)

    async def handler(key: str) -> None:
        scheduler.schedule("demo", key, later)

    scheduler.on("demo", handler)
    await scheduler.start()
    try:
        scheduler.schedule("demo", "tick", clock.now())
        for _ in range(100):
            if scheduler.pending()[0][0] == later:
                break
            await asyncio.sleep(0.02)
        assert scheduler.pending() == [(later, "demo", "tick")]
    finally:
        await scheduler.stop()


class Broken(Cog):
    name = "broken"

    async def reschedule(self) -> None:
        raise RuntimeError("a bug in one cog")


class Counting(Cog):
    name = "counting"

    def __init__(self, services: Services, outage_rounds: int = 0) -> None:
        super().__init__(services)
        self.rounds = 0
        self.outage_rounds = outage_rounds

    async def reschedule(self) -> None:
        self.rounds += 1
        if self.rounds <= self.outage_rounds:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database away"))


def services(tmp_path: Path) -> Services:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ponte.db'}",
        _env_file=None,  # type: ignore[call-arg]
    )
    return App(settings).services


async def rounds_until(cog: Counting, count: int) -> None:
    for _ in range(200):
        if cog.rounds >= count:
            return
        await asyncio.sleep(0.01)


async def test_the_round_goes_on_past_a_failing_cog_and_an_outage(tmp_path: Path) -> None:
    shared = services(tmp_path)
    counting = Counting(shared, outage_rounds=2)
    rearm = Rearm([Broken(shared), counting], every=0.02)
    rearm.start()
    try:
        await rounds_until(counting, 4)
    finally:
        await rearm.stop()
    assert counting.rounds >= 4  # through the bug beside it and the two rounds of outage
    stopped_at = counting.rounds
    await asyncio.sleep(0.1)
    assert counting.rounds == stopped_at  # stopped means stopped


async def test_no_rounds_when_turned_off(tmp_path: Path) -> None:
    counting = Counting(services(tmp_path))
    rearm = Rearm([counting], every=0)
    rearm.start()
    await asyncio.sleep(0.1)
    await rearm.stop()
    assert counting.rounds == 0
