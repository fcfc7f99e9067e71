"""Deadlines kept in the database, fired by APScheduler.

The job store is memory only: at start, and then every few minutes, every cog
reschedules from its own rows, and a deadline already past runs at once. Handlers must be
idempotent (a conditional UPDATE), so a job fired twice, or by two processes, changes
nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.clock import AdjustableClock, Clock
from bot.storage.database import unavailable

DeadlineHandler = Callable[[str], Awaitable[None]]
RETRY_AFTER = timedelta(seconds=5)
# What follows a committed change (a post, a DM) is done within seconds by the process
# that made it; missing for longer, it was lost with that process.
FOLLOW_UP_GRACE = timedelta(minutes=1)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Job:
    when: datetime
    kind: str
    key: str


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._handlers: dict[str, DeadlineHandler] = {}
        self._jobs: dict[str, _Job] = {}
        self._aps = AsyncIOScheduler(timezone="UTC")
        self._running: set[asyncio.Task[None]] = set()
        # The deadline each job now running is carrying out, by job id.
        self._active: dict[str, datetime] = {}

    def on(self, kind: str, handler: DeadlineHandler) -> None:
        self._handlers[kind] = handler

    def pending(self) -> list[tuple[datetime, str, str]]:
        return sorted((job.when, job.kind, job.key) for job in self._jobs.values())

    def schedule(self, kind: str, key: str, when: datetime) -> None:
        if kind not in self._handlers:
            raise KeyError(f"no handler for deadline kind {kind!r}")
        job_id = f"{kind}:{key}"
        active = self._active.get(job_id)
        if active is not None and when <= active:
            # Re-armed from rows read before the running job finished: that run covers it.
            return
        self._jobs[job_id] = _Job(when, kind, key)
        if self._aps.running:
            self._arm(job_id)

    def knows(self, kind: str, key: str) -> bool:
        """Whether `kind:key` is waiting or running in this process."""
        job_id = f"{kind}:{key}"
        return job_id in self._jobs or job_id in self._active

    def defer_if_recent(self, kind: str, key: str, changed_at: datetime | None) -> bool:
        """For a recovery of what a dead process left undone: True, and `kind:key` run
        again once the grace is over, when the change is so recent that the process that
        made it may be alive and doing the rest right now."""
        if changed_at is None or self.clock.now() >= changed_at + FOLLOW_UP_GRACE:
            return False
        self.schedule(kind, key, changed_at + FOLLOW_UP_GRACE)
        return True

    def cancel(self, kind: str, key: str) -> None:
        job_id = f"{kind}:{key}"
        self._jobs.pop(job_id, None)
        if self._aps.running and self._aps.get_job(job_id):
            self._aps.remove_job(job_id)

    def _arm(self, job_id: str) -> None:
        job = self._jobs[job_id]
        real_when = job.when - self._offset()
        self._aps.add_job(
            self._fire,
            "date",
            run_date=real_when,
            args=[job_id],
            id=job_id,
            replace_existing=True,
            misfire_grace_time=None,
        )

    def _offset(self) -> timedelta:
        return self.clock.offset if isinstance(self.clock, AdjustableClock) else timedelta(0)

    async def start(self) -> None:
        self._aps.start()
        await self.run_due()
        for job_id in list(self._jobs):
            self._arm(job_id)

    async def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def _fire(self, job_id: str) -> None:
        job = self._jobs.pop(job_id, None)
        if job is not None:
            await self._run(job)

    async def _run(self, job: _Job) -> None:
        job_id = f"{job.kind}:{job.key}"
        self._active[job_id] = job.when
        try:
            await self._handlers[job.kind](job.key)
        except Exception as error:
            if not unavailable(error):
                log.exception("deadline handler failed", extra={"kind": job.kind, "key": job.key})
                return
            # The database is away: try again soon rather than wait for the next start.
            log.warning("database unavailable, deadline retried", extra={"kind": job.kind})
            if job_id not in self._jobs:
                self.schedule(job.kind, job.key, self.clock.now() + RETRY_AFTER)
        finally:
            self._active.pop(job_id, None)

    async def run_due(self) -> int:
        """Run, oldest first, every deadline that is due now; return how many ran."""
        now = self.clock.now()
        due = sorted(
            ((job_id, job) for job_id, job in self._jobs.items() if job.when <= now),
            key=lambda item: item[1].when,
        )
        for job_id, job in due:
            if self._jobs.pop(job_id, None) is None:
                continue
            if self._aps.running and self._aps.get_job(job_id):
                self._aps.remove_job(job_id)
            await self._run(job)
        return len(due)

    async def advance(self, delta: timedelta) -> int:
        """Move an adjustable clock on and run what fell due, as if the time had passed."""
        if not isinstance(self.clock, AdjustableClock):
            raise TypeError("only an adjustable clock can be advanced")
        self.clock.advance(delta)
        ran = await self.run_due()
        if self._aps.running:
            for job_id in list(self._jobs):
                self._arm(job_id)
        return ran
