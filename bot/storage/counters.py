"""Counters written behind: increments summed in memory, written in one transaction.

Every message adds 1 to a handful of counters (the digest's rollups, the crisis counts,
the contests' message count). Written at once, each is a transaction of its own, and on
SQLite each transaction costs several hand-offs to the driver's thread and a turn at the
single write lock. Here the increments of one counter row (one upsert statement with the
same key parameters) are summed, and every `every` seconds all of them are written by
one transaction, each upsert executed once with its summed increment, all the rows of one
statement in one batch (on SQLite one trip to the driver's thread, see `prepared.py`).
Rows that are only ever inserted once (`insert`: an INSERT that ignores a row already
there) wait and are written the same way, before the counts.

A reader of these counters (or of those rows) calls `flush()` first, so it sees this
process's own.
A flush that fails leaves the counts pending for the next one: its transaction was rolled
back, so nothing is counted twice. A crash loses at most the last interval's counts.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from typing import Any

from sqlalchemy import TextClause

from bot.storage.behind import WrittenBehind
from bot.storage.database import Database
from bot.storage.prepared import Prepared

Key = tuple[int, tuple[tuple[str, Any], ...]]
# Rows waiting while the database is away: one a message, so a long outage would otherwise
# grow them without end. Past this many the oldest are dropped.
MAX_ROWS = 50_000


class CounterBuffer(WrittenBehind):
    what = "counts"

    def __init__(self, db: Database, every: float) -> None:
        super().__init__(every)
        self.db = db
        self._statements: dict[int, Prepared] = {}
        self._pending: dict[Key, dict[str, int]] = {}
        self._rows: deque[tuple[int, dict[str, Any]]] = deque(maxlen=MAX_ROWS)
        # One flush at a time: a reader that asks while another flush writes waits for it
        # instead of finding the buffer empty and reading before those counts land.
        self._lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._pending) + len(self._rows)

    def _prepared(self, statement: TextClause) -> int:
        if id(statement) not in self._statements:
            self._statements[id(statement)] = Prepared(statement)
        return id(statement)

    async def add(self, statement: TextClause, key: Mapping[str, Any], **increments: int) -> None:
        """Add `increments` (parameters of `statement`) to the row `key` names."""
        if self.every <= 0:
            async with self.db.writing() as session:
                await session.execute(statement, {**key, **increments})
            return
        sums = self._pending.setdefault((self._prepared(statement), tuple(sorted(key.items()))), {})
        for name, amount in increments.items():
            sums[name] = sums.get(name, 0) + amount

    async def insert(self, statement: TextClause, row: Mapping[str, Any]) -> None:
        """Insert `row` with `statement`, which must leave a row already there as it is
        (a replay after an outage inserts it again)."""
        if self.every <= 0:
            async with self.db.writing() as session:
                await session.execute(statement, dict(row))
            return
        self._rows.append((self._prepared(statement), dict(row)))

    async def flush(self) -> None:
        """Write every pending count now; on failure they stay pending and it raises."""
        if not self._pending and not self._rows and not self._lock.locked():
            return
        async with self._lock:
            taken, self._pending = self._pending, {}
            rows, self._rows = self._rows, deque(maxlen=MAX_ROWS)
            if not taken and not rows:
                return
            batches: dict[int, list[dict[str, Any]]] = {}
            for statement, row in rows:
                batches.setdefault(statement, []).append(row)
            counts: dict[int, list[dict[str, Any]]] = {}
            for (statement, key), sums in taken.items():
                counts.setdefault(statement, []).append({**dict(key), **sums})
            try:
                async with self.db.writing() as session:
                    for statement, batch in [*batches.items(), *counts.items()]:
                        await self._statements[statement].many(session, batch)
            except BaseException:
                # Rows that came meanwhile go after these; past the bound, the oldest go.
                rows.extend(self._rows)
                self._rows = rows
                self._restore(taken)
                raise

    def _restore(self, taken: dict[Key, dict[str, int]]) -> None:
        # Counts added while the failed transaction ran join the ones it did not write.
        for key, sums in taken.items():
            pending = self._pending.setdefault(key, {})
            for name, amount in sums.items():
                pending[name] = pending.get(name, 0) + amount
