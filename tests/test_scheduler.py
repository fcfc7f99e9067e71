"""Deadlines: run when due, in order, once; overdue ones run at start."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import AdjustableClock
from bot.core.scheduler import Scheduler


async def test_due_deadlines_run_once_in_order() -> None:
    clock = AdjustableClock()
    scheduler = Scheduler(clock)
    ran: list[str] = []

    async def handler(key: str) -> None:
        ran.append(key)

    scheduler.on("demo", handler)
    now = clock.now()
    scheduler.schedule("demo", "late", now + timedelta(hours=2))
    scheduler.schedule("demo", "early", now + timedelta(hours=1))
    scheduler.schedule("demo", "never", now + timedelta(days=3))
    await scheduler.start()
    try:
        assert await scheduler.advance(timedelta(minutes=59)) == 0
        await scheduler.advance(timedelta(hours=2))
        assert ran == ["early", "late"]
        await scheduler.advance(timedelta(hours=1))
        assert ran == ["early", "late"]
        scheduler.cancel("demo", "never")
        await scheduler.advance(timedelta(days=5))
        assert ran == ["early", "late"]
    finally:
        await scheduler.stop()


async def test_overdue_deadline_runs_at_start_and_a_failure_is_contained() -> None:
    clock = AdjustableClock()
    scheduler = Scheduler(clock)
    ran: list[str] = []

    async def handler(key: str) -> None:
        if key == "bad":
            raise RuntimeError("handler bug")
        ran.append(key)

    scheduler.on("demo", handler)
    scheduler.schedule("demo", "bad", clock.now() - timedelta(minutes=5))
    scheduler.schedule("demo", "missed", clock.now() - timedelta(minutes=1))
    await scheduler.start()
    try:
        assert ran == ["missed"]
    finally:
        await scheduler.stop()


async def test_real_time_deadline_fires_through_apscheduler() -> None:
    import asyncio

    from bot.core.clock import SystemClock

    clock = SystemClock()
    scheduler = Scheduler(clock)
    fired = asyncio.Event()

    async def handler(key: str) -> None:
        fired.set()

    scheduler.on("demo", handler)
    await scheduler.start()
    try:
        scheduler.schedule("demo", "soon", clock.now() + timedelta(milliseconds=200))
        await asyncio.wait_for(fired.wait(), timeout=5)
        assert scheduler.pending() == []  # fired once, and gone
    finally:
        await scheduler.stop()
