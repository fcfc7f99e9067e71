"""Settings read on every event, kept per community in each process.

A change made in this process is seen at once (its `forget`); one made by another process
on the same database (a second bot process, the dashboard) within `refresh_seconds`, when
the kept value is read again. A read under way when a change is made here is not kept: it
may hold the value from before.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.core.model import Community

T = TypeVar("T")
REFRESH_SECONDS = 30.0


class PerCommunity(Generic[T]):
    def __init__(
        self, read: Callable[[Community], Awaitable[T]], refresh_seconds: float = REFRESH_SECONDS
    ) -> None:
        self._read = read
        self.refresh_seconds = refresh_seconds
        self._kept: dict[tuple[str, str], tuple[T, float]] = {}
        self._changes = 0

    async def get(self, community: Community) -> T:
        key = (community.platform, community.id)
        kept = self._kept.get(key)
        now = time.monotonic()
        if kept is not None and now - kept[1] < self.refresh_seconds:
            return kept[0]
        changes = self._changes
        value = await self._read(community)
        if changes == self._changes:
            self._kept[key] = (value, now)
        return value

    def forget(self, community: Community) -> None:
        """After a change made here: the next `get` reads it."""
        self._changes += 1
        self._kept.pop((community.platform, community.id), None)
