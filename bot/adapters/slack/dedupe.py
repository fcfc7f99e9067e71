"""Slack retries an event it thinks was not acknowledged: each event id is handled once.

The id goes into `processed_events` before the event is handled; a second insert of the
same id fails on the unique constraint, in this process or in another one on the same
database, and that delivery is dropped.

While the database is away the event is handled all the same (the core keeps it until
the database is back): Slack had its acknowledgement and will not send it again, so
refusing it would lose it. Its id is then remembered in memory, so a retry that reaches
this process during the outage is still dropped.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from datetime import timedelta
from typing import cast

from sqlalchemy import Table, delete, insert
from sqlalchemy.exc import IntegrityError

from bot.core.clock import Clock
from bot.storage.database import Database, unavailable
from bot.storage.models import ProcessedEvent
from bot.storage.prepared import Prepared

log = logging.getLogger(__name__)
KEEP = timedelta(days=1)  # Slack gives up retrying after about an hour
OUTAGE_IDS = 10_000  # ids of events taken during an outage, remembered in memory


class EventDedupe:
    def __init__(self, db: Database, clock: Clock, platform: str = "slack") -> None:
        self.db = db
        self.clock = clock
        self.platform = platform
        self._taken_offline: OrderedDict[str, None] = OrderedDict()

    async def first_time(self, event_id: str) -> bool:
        """True for the first delivery of `event_id`; False for every retry of it."""
        try:
            async with self.db.writing() as session:
                await _record().rows(
                    session,
                    {
                        "platform": self.platform,
                        "event_id": event_id[:128],
                        "received_at": self.clock.now(),
                    },
                )
        except IntegrityError:
            log.info("event already handled", extra={"event_id": event_id})
            return False
        except Exception as error:
            if not unavailable(error):
                raise
            return self._first_time_offline(event_id)
        return True

    def _first_time_offline(self, event_id: str) -> bool:
        if event_id in self._taken_offline:
            log.info("event already handled", extra={"event_id": event_id})
            return False
        log.warning(
            "database unavailable, event taken without its record", extra={"event_id": event_id}
        )
        self._taken_offline[event_id] = None
        if len(self._taken_offline) > OUTAGE_IDS:
            self._taken_offline.popitem(last=False)
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


@functools.cache
def _record() -> Prepared:
    """Every event is one insert: prepared, on the table, in one trip on SQLite."""
    table = cast(Table, ProcessedEvent.__table__)
    return Prepared(insert(table), keys=("platform", "event_id", "received_at"))
