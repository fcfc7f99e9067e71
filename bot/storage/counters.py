"""Counters written behind: increments summed in memory, written in one transaction.

Every message adds 1 to a handful of counters (the digest's rollups, the crisis counts,
the contests' message count). Written at once, each is a transaction of its own, and on
SQLite each transaction costs several hand-offs to the driver's thread and a turn at the
single write lock. Here the increments of one counter row (one upsert statement with the
same key parameters) are summed, and every `every` seconds all of them are written by
one transaction, each upsert executed once with its summed increment.

A reader of these counters calls `flush()` first, so it sees this process's own counts.
A flush that fails leaves the counts pending for the next one: its transaction was rolled
back, so nothing is counted twice. A crash loses at most the last interval's counts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import TextClause

from bot.storage.database import Database, unavailable

log = logging.getLogger(__name__)

Key = tuple[int, tuple[tuple[str, Any], ...]]


class CounterBuffer:
    def __init__(self, db: Database, every: float) -> None:
        self.db = db
        self.every = every
        self._statements: dict[int, TextClause] = {}
        self._pending: dict[Key, dict[str, int]] = {}
        # One flush at a time: a reader that asks while another flush writes waits for it
        # instead of finding the buffer empty and reading before those counts land.
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._pending)

    async def add(self, statement: TextClause, key: Mapping[str, Any], **increments: int) -> None:
        """Add `increments` (parameters of `statement`) to the row `key` names."""
        if self.every <= 0:
            async with self.db.writing() as session:
                await session.execute(statement, {**key, **increments})
            return
        self._statements[id(statement)] = statement
        sums = self._pending.setdefault((id(statement), tuple(sorted(key.items()))), {})
        for name, amount in increments.items():
            sums[name] = sums.get(name, 0) + amount

    async def flush(self) -> None:
        """Write every pending count now; on failure they stay pending and it raises."""
        if not self._pending and not self._lock.locked():
            return
        async with self._lock:
            taken, self._pending = self._pending, {}
            if not taken:
                return
            try:
                async with self.db.writing() as session:
                    for (statement, key), sums in taken.items():
                        await session.execute(self._statements[statement], {**dict(key), **sums})
            except BaseException:
                self._restore(taken)
                raise

    def _restore(self, taken: dict[Key, dict[str, int]]) -> None:
        # Counts added while the failed transaction ran join the ones it did not write.
        for key, sums in taken.items():
            pending = self._pending.setdefault(key, {})
            for name, amount in sums.items():
                pending[name] = pending.get(name, 0) + amount

    def start(self) -> None:
        if self.every > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="counters")

    async def stop(self) -> None:
        """Stop the rounds and write what is pending, so a clean stop loses nothing."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        try:
            await self.flush()
        except Exception:
            log.exception("counts not written at stop", extra={"counters": len(self._pending)})

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.flush()
            except Exception as error:
                if unavailable(error):
                    log.warning("database unavailable, counts kept", extra={"counters": len(self)})
                else:
                    log.exception("counts not written, kept", extra={"counters": len(self)})
