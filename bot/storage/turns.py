"""SQLite's writers of this process, one at a time, in the order they came.

SQLite lets one transaction write at a time. A second writer is left to its busy handler,
which sleeps and tries again, 1 ms at first and then up to 100 ms between tries, so a
transaction that waited behind one other writer for 3 ms could sleep 30 ms more; under a
burst, a vote waited hundreds of milliseconds behind a poll's creation or a join this way.
Here every transaction of the process takes its turn on an asyncio lock just before its
first write (the driver begins SQLite's transaction at that statement too) and gives it back
when its connection returns to the pool, after the commit or the rollback. The next in line
starts the moment the lock is free. Other processes on the same file still meet SQLite's
busy handler, as before.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_only

# The first word of a statement that makes SQLite take its write lock.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class WriterTurns:
    def __init__(self, engine: AsyncEngine, *, wait: float) -> None:
        """Turns for `engine`'s transactions; one that waits `wait` seconds for its turn
        fails as SQLite's own busy timeout does ("database is locked")."""
        self._lock = asyncio.Lock()
        # The pool record (its info dict, one per connection) whose transaction writes now.
        self._holder: dict[Any, Any] | None = None
        self._wait = wait
        event.listen(engine.sync_engine, "before_cursor_execute", self._before_statement)
        event.listen(engine.sync_engine, "checkin", self._returned)

    async def take(self, record: dict[Any, Any]) -> None:
        """The turn for the transaction on the connection of `record`, if it has none."""
        if self._holder is record:
            return
        try:
            await asyncio.wait_for(self._lock.acquire(), self._wait)
        except TimeoutError:
            locked = sqlite3.OperationalError("database is locked")
            waited = "waiting for this process's other writers"
            raise OperationalError(waited, None, locked) from None
        self._holder = record

    def _before_statement(
        self,
        connection: Connection,
        _cursor: object,
        statement: str,
        _parameters: object,
        _context: object,
        _executemany: bool,
    ) -> None:
        record = connection.connection.record_info
        if record is None or self._holder is record:
            return
        if statement.lstrip()[:6].upper() in _WRITES:
            # Inside SQLAlchemy's greenlet, as every statement of an async engine is.
            await_only(self.take(record))

    def _returned(self, _dbapi_connection: object, entry: ConnectionPoolEntry) -> None:
        if self._holder is not None and entry.record_info is self._holder:
            self._holder = None
            self._lock.release()
