"""Events that arrived while the database was away, kept and replayed in order once it answers.

A platform delivers a join or a message once (Discord never sends it again; Slack's event
id is already recorded), so a listener that fails on an outage would lose it. Each listener
call is one step: a step that fails because the database did not answer waits here, and a
step that arrives while others wait queues behind them, so the order stays the order of
arrival. Only the failed step is replayed, never the listeners that already succeeded,
and a failed step rolled its transaction back: nothing is applied twice.

A database that answers but is busy (SQLite's write lock held long, every pooled connection
taken, as under a burst that the process is still working through) is no outage: the step
is tried again in place, a little later each time, and only a database still busy after
that is treated as away. Queued, every later step would wait behind it and be replayed
one at a time, slower than events arrive under the very burst that made it busy.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.storage.database import busy, unavailable

log = logging.getLogger(__name__)
Work = Callable[[], Awaitable[None]]

LIMIT = 10_000  # steps; about a minute of a busy community's events, a few MB
FIRST_WAIT = 0.25  # seconds before the first replay, doubled up to LONGEST_WAIT
LONGEST_WAIT = 2.0
# A busy database is tried again after these many seconds, then the step is kept: about
# half a minute in all, as long as a SQLite writer may wait for a pooled connection. On
# PostgreSQL a full pool fails a checkout after POOL_TIMEOUT (3 s, so that a command hears
# "try again" at once in an outage): under a burst that outlasted six seconds of waits,
# every later event queued behind the kept one and was replayed one at a time, slower
# than they came, until the queue dropped them (5,372 of 12,000 at 200 events a second).
BUSY_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, *(3.2,) * 8)


@dataclass(frozen=True, slots=True)
class Step:
    what: str
    work: Work


class RetryQueue:
    def __init__(
        self,
        limit: int = LIMIT,
        first_wait: float = FIRST_WAIT,
        longest_wait: float = LONGEST_WAIT,
        then: Work | None = None,
        busy_waits: tuple[float, ...] = BUSY_WAITS,
    ) -> None:
        self.limit = limit
        self.busy_waits = busy_waits
        # Run, like a step, once every kept step has been replayed and before the queue
        # says it has drained: what the replayed steps counted in memory gets written.
        self.then = then
        self.first_wait = first_wait
        self.longest_wait = longest_wait
        self._steps: deque[Step] = deque()
        self._flusher: asyncio.Task[None] | None = None
        self._empty = asyncio.Event()
        self._empty.set()
        self.dropped = 0
        self.replayed = 0

    def __len__(self) -> int:
        return len(self._steps)

    async def run(self, what: str, work: Work) -> None:
        """Do `work` now, or keep it for later if the database is away (or others wait).
        Any other failure is the caller's to handle."""
        if self._steps:
            self._put(Step(what, work))
            return
        for pause in (*self.busy_waits, None):
            try:
                await work()
                return
            except Exception as error:
                if not unavailable(error):
                    raise
                if pause is None or not busy(error):
                    break
            await asyncio.sleep(pause)
        log.warning("database unavailable, step kept for later", extra={"step": what})
        self._put(Step(what, work))

    async def drained(self) -> None:
        """Until every kept step has been replayed (or dropped)."""
        await self._empty.wait()

    async def close(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            await asyncio.gather(self._flusher, return_exceptions=True)
            self._flusher = None
        if self._steps:
            log.warning("stopped with steps not replayed", extra={"steps": len(self._steps)})

    def _put(self, step: Step) -> None:
        if len(self._steps) >= self.limit:
            oldest = self._steps.popleft()
            self.dropped += 1
            log.warning("retry queue full, oldest step dropped", extra={"step": oldest.what})
        self._steps.append(step)
        self._empty.clear()
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="retry-queue")

    async def _flush(self) -> None:
        wait = self.first_wait
        replayed = self.replayed
        then_queued = False
        try:
            while self._steps:
                await asyncio.sleep(wait)
                while self._steps:
                    step = self._steps[0]
                    try:
                        await step.work()
                    except Exception as error:
                        if unavailable(error):
                            wait = min(wait * 2, self.longest_wait)
                            break  # still away: the step stays first in line
                        log.exception("kept step failed", extra={"step": step.what})
                    else:
                        self.replayed += 1
                    # A full queue may have dropped the step while it ran.
                    if self._steps and self._steps[0] is step:
                        self._steps.popleft()
                    wait = self.first_wait
                if not self._steps and self.then is not None and not then_queued:
                    then_queued = True
                    self._steps.append(Step("then", self.then))
        finally:
            if not self._steps:
                self._empty.set()
                count = self.replayed - replayed
                log.info("database back, kept steps replayed", extra={"steps": count})
