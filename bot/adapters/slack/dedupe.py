"""Slack retries an event it thinks was not acknowledged: each event id is handled once.

The id goes into `processed_events` before the event is handled; a second insert of the
same id fails on the unique constraint, in this process or in another one on the same
database, and that delivery is dropped.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.core.clock import Clock
from bot.storage.database import Database
from bot.storage.models import ProcessedEvent

log = logging.getLogger(__name__)
KEEP = timedelta(days=1)  # Slack gives up retrying after about an hour


class EventDedupe:
    def __init__(self, db: Database, clock: Clock, platform: str = "slack") -> None:
        self.db = db
        self.clock = clock
        self.platform = platform

    async def first_time(self, event_id: str) -> bool:
        """True for the first delivery of `event_id`; False for every retry of it."""
        try:
            async with self.db.session() as session:
                session.add(
                    ProcessedEvent(
                        platform=self.platform,
                        event_id=event_id[:128],
                        received_at=self.clock.now(),
                    )
                )
        except IntegrityError:
            log.info("event already handled", extra={"event_id": event_id})
            return False
        return True

    async def forget_old(self) -> int:
        """Drop ids older than a day: no retry of them can come any more."""
        async with self.db.session() as session:
            result = await session.execute(
                delete(ProcessedEvent).where(
                    ProcessedEvent.platform == self.platform,
                    ProcessedEvent.received_at < self.clock.now() - KEEP,
                )
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
