"""The retry queue: work that failed on an outage is replayed in order, once, and bounded."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.core.retry_queue import RetryQueue, Work


class Outage:
    """A database that is away until `back` is called; work done is recorded in order."""

    def __init__(self) -> None:
        self.away = True
        self.done: list[str] = []

    def step(self, name: str) -> Work:
        async def work() -> None:
            if self.away:
                raise OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused"))
            self.done.append(name)

        return work


async def test_work_kept_during_an_outage_is_replayed_once_in_order() -> None:
    outage = Outage()
    queue = RetryQueue(first_wait=0.01, longest_wait=0.02)
    for name in ("join alice", "message 1", "join bob"):
        await queue.run(name, outage.step(name))
    assert outage.done == [] and len(queue) == 3
    await asyncio.sleep(0.05)  # retries while still away change nothing
    assert outage.done == []
    outage.away = False
    await queue.run("message 2", outage.step("message 2"))
    assert outage.done == []  # behind the kept ones, not before them
    await asyncio.wait_for(queue.drained(), 2)
    assert outage.done == ["join alice", "message 1", "join bob", "message 2"]
    await queue.run("message 3", outage.step("message 3"))
    assert outage.done[-1] == "message 3" and len(queue) == 0
    await queue.close()


async def test_a_full_queue_drops_the_oldest_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outage = Outage()
    queue = RetryQueue(limit=2, first_wait=0.01, longest_wait=0.01)
    with caplog.at_level(logging.WARNING, "bot.core.retry_queue"):
        for name in ("a", "b", "c"):
            await queue.run(name, outage.step(name))
    assert queue.dropped == 1
    assert any("oldest step dropped" in record.getMessage() for record in caplog.records)
    outage.away = False
    await asyncio.wait_for(queue.drained(), 2)
    assert outage.done == ["b", "c"]
    await queue.close()


async def test_a_bug_is_not_kept_but_raised() -> None:
    queue = RetryQueue()

    async def broken() -> None:
        raise IntegrityError("INSERT", {}, Exception("duplicate"))

    with pytest.raises(IntegrityError):
        await queue.run("broken", broken)
    assert len(queue) == 0
    await queue.close()


async def test_a_busy_database_is_tried_again_in_place_not_taken_for_an_outage() -> None:
    tries: list[str] = []

    def locked_for(times: int, name: str) -> Work:
        async def work() -> None:
            tries.append(name)
            if tries.count(name) <= times:
                raise OperationalError("INSERT", {}, Exception("database is locked"))

        return work

    queue = RetryQueue(busy_waits=(0.01, 0.01, 0.01))
    await queue.run("first", locked_for(2, "first"))
    assert tries == ["first"] * 3 and len(queue) == 0  # done on its third try, kept nowhere
    await queue.run("second", locked_for(0, "second"))
    assert tries[-1] == "second" and len(queue) == 0  # not queued behind anything
    await queue.run("stuck", locked_for(10, "stuck"))
    assert tries.count("stuck") == 4 and len(queue) == 1  # still busy after every wait: kept


async def test_an_outage_is_kept_at_once_without_the_busy_waits() -> None:
    outage = Outage()
    queue = RetryQueue(first_wait=0.01, busy_waits=(5.0,))
    await asyncio.wait_for(queue.run("join", outage.step("join")), timeout=1)
    assert len(queue) == 1
    outage.away = False
    await asyncio.wait_for(queue.drained(), timeout=2)
    assert outage.done == ["join"]
