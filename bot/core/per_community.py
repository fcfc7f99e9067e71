"""Settings read on every event, kept per community in each process.

A change made in this process is seen at once (its `forget`); one made by another process
on the same database (a second bot process, the dashboard) within `refresh_seconds`, when
the kept value is read again. While it is read, every event then in flight waits for that
one read instead of making its own (under load, hundreds every refresh). A read under way
when a change is made here is not kept: it may hold the value from before.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.core.model import Community

T = TypeVar("T")
REFRESH_SECONDS = 30.0
Key = tuple[str, str]


class PerCommunity(Generic[T]):
    def __init__(
        self, read: Callable[[Community], Awaitable[T]], refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        self._read = read
        self.refresh_seconds = refresh_seconds
        self._kept: dict[Key, tuple[T, float]] = {}
        self._reading: dict[Key, asyncio.Future[T]] = {}
        self._changes = 0

    async def get(self, community: Community) -> T:
        key = (community.platform, community.id)
        kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[1] < self.refresh_seconds:
            return kept[0]
        reading = self._reading.get(key)
        if reading is None:
            reading = asyncio.ensure_future(self._read_and_keep(community, key))
            self._reading[key] = reading
            reading.add_done_callback(lambda done: self._done_reading(key, done))
        # Shielded: an event cancelled while it waits does not cancel the others' read.
        return await asyncio.shield(reading)

    def last(self, community: Community) -> T | None:
        """The value kept, however old: for a reader that reuses what it built from it."""
        kept = self._kept.get((community.platform, community.id))
        return None if kept is None else kept[0]

    def forget(self, community: Community) -> None:
        """After a change made here: the next `get` reads it. The value stays `last`, for
        a reader that carries something of it over."""
        key = (community.platform, community.id)
        self._changes += 1
        kept = self._kept.get(key)
        if kept is not None:
            self._kept[key] = (kept[0], -math.inf)
        self._reading.pop(key, None)

    async def _read_and_keep(self, community: Community, key: Key) -> T:
        changes = self._changes
        value = await self._read(community)
        if changes == self._changes:  # a change made meanwhile is read again
            self._kept[key] = (value, time.monotonic())
        return value

    def _done_reading(self, key: Key, done: asyncio.Future[T]) -> None:
        if self._reading.get(key) is done:
            del self._reading[key]
