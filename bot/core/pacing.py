"""A card redrawn at most once per gap, its last state always shown.

A card that counts what members do (a giveaway's entries, a recurring question's askers)
changes at every press or message; redrawing it each time reads its rows and renders it
again, and in a burst that costs more than the presses themselves. Here a redraw within
`gap` of the last one is not done at once: one redraw is armed for the end of the gap,
whatever the number of calls meanwhile, and it reads the rows as they are then.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.core.scheduler import Scheduler

# Cards remembered for their last redraw; past this many the oldest are forgotten, which
# costs at most one redraw too early each.
MAX_REMEMBERED = 10_000


class Paced:
    def __init__(
        self,
        scheduler: Scheduler,
        clock: Clock,
        kind: str,
        redraw: Callable[..., Awaitable[None]],
        gap: timedelta,
    ) -> None:
        """`redraw(key, *extra)` draws the card `key`; `kind` names its deadline."""
        self._scheduler = scheduler
        self._clock = clock
        self._kind = kind
        self._redraw = redraw
        self._gap = gap
        self._last: dict[str, datetime] = {}
        self._armed: dict[str, datetime] = {}  # the redraw each card waits for
        scheduler.on(kind, self._due)

    async def __call__(self, key: str, *extra: Any) -> None:
        """Redraw now (with `extra`, as `redraw` takes it) or at the end of the gap."""
        now = self._clock.now()
        last = self._last.get(key)
        if last is not None and now - last < self._gap:
            due = last + self._gap
            if self._armed.get(key) != due:  # a burst arms one redraw, not one each
                self._armed[key] = due
                self._scheduler.schedule(self._kind, key, due)
            return
        self._remember(key, now)
        await self._redraw(key, *extra)

    async def _due(self, key: str) -> None:
        # Before the redraw reads the rows: a change during it arms the next one.
        self._armed.pop(key, None)
        self._remember(key, self._clock.now())
        await self._redraw(key)

    def _remember(self, key: str, now: datetime) -> None:
        if len(self._last) >= MAX_REMEMBERED:
            del self._last[next(iter(self._last))]
        self._last[key] = now
