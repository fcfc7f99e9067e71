"""Re-arms every cog's deadlines from the rows, on real time, every RESCHEDULE_EVERY.

A deadline made after this process started is known at first only to the process that
made it; if that one dies, this round is how the others learn of it. Arming a known
deadline again is harmless: the scheduler replaces a job of the same id, and one that is
running is not run again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from bot.core.cog import Cog
from bot.storage.database import unavailable

log = logging.getLogger(__name__)


async def rearm_once(cogs: Sequence[Cog]) -> None:
    """One round: each cog in turn; one that fails does not keep the others from theirs."""
    for cog in cogs:
        try:
            await cog.reschedule()
        except Exception as error:
            if unavailable(error):
                log.warning("database unavailable, deadlines re-armed next round")
                return  # the others would find it away too
            log.exception("deadlines not re-armed", extra={"cog": cog.name})


class Rearm:
    """The periodic round, started with the app and stopped with it."""

    def __init__(self, cogs: Sequence[Cog], every: float) -> None:
        self.cogs = tuple(cogs)
        self.every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.every > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop(), name="ponte-rearm")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        # Real time, not the adjustable clock: the round is about other processes' rows,
        # which appear while this one's clock stands still.
        while True:
            await asyncio.sleep(self.every)
            await rearm_once(self.cogs)
