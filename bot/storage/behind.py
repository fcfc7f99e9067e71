"""The rounds of what is written behind: a flush every `every` seconds, and a last one at
a clean stop. A round that fails (the database away) keeps what it could not write for
the next one; `flush` itself must leave it pending when it raises."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod

from bot.storage.database import unavailable

log = logging.getLogger(__name__)


class WrittenBehind(ABC):
    """`what` names what waits, in the log; `len()` says how much of it."""

    what = "rows"

    def __init__(self, every: float) -> None:
        self.every = every
        self._task: asyncio.Task[None] | None = None

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    async def flush(self) -> None:
        """Write everything waiting now; on failure it stays waiting and this raises."""

    def start(self) -> None:
        if self.every > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"written-behind:{self.what}")

    async def stop(self) -> None:
        """Stop the rounds and write what waits, so a clean stop loses nothing."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        try:
            await self.flush()
        except Exception:
            log.exception("not written at stop", extra={"what": self.what, "waiting": len(self)})

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.flush()
            except Exception as error:
                extra = {"what": self.what, "waiting": len(self)}
                if unavailable(error):
                    log.warning("database unavailable, kept for the next round", extra=extra)
                else:
                    log.exception("not written, kept for the next round", extra=extra)
