"""Presses on one poll wait here while the poll's previous transaction runs; the next
transaction takes all of them at once. A burst on a popular poll thus costs a few
transactions instead of one per member, each of a handful of statements, and a press never
waits behind more than one transaction. Presses one at a time still go one by one."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.model import Member
from cogs.polls.ballot import VoteOutcome

MAX_BATCH = 1000  # a batch's statements stay far below the drivers' limits on parameters


@dataclass(eq=False, slots=True)
class Press:
    position: int
    member: Member
    now: datetime
    # Run in the transaction that applied the press, once per `key` among the presses that
    # changed something (one remembered card per message, however many votes it shows).
    on_change: Callable[[Any, Any], Awaitable[None]] | None = None
    key: object = None
    outcome: VoteOutcome | None = None
    view: Any = None
    done: bool = field(default=False)

    def finish(self, outcome: VoteOutcome, view: Any) -> None:
        self.outcome, self.view, self.done = outcome, view, True


Apply = Callable[[int, list[Press]], Awaitable[None]]


@dataclass(slots=True)
class _Poll:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: list[Press] = field(default_factory=list)
    users: int = 0


class VoteQueue:
    def __init__(self, apply: Apply) -> None:
        self._apply = apply
        self._polls: dict[int, _Poll] = {}

    async def run(self, poll_id: int, press: Press) -> None:
        """Apply `press`, alone or with the presses that came while the last batch ran."""
        poll = self._polls.setdefault(poll_id, _Poll())
        poll.waiting.append(press)
        poll.users += 1
        try:
            async with poll.lock:
                if press.done:
                    return
                # The lock is taken in the order of arrival, so this press is the oldest one
                # still waiting: the batch starts with it.
                batch = poll.waiting[:MAX_BATCH]
                del poll.waiting[:MAX_BATCH]
                try:
                    await self._apply(poll_id, batch)
                except BaseException:
                    # The others wait again: the next press in line applies them, or fails
                    # with its own error, instead of this task's.
                    poll.waiting[:0] = [
                        other for other in batch if other is not press and not other.done
                    ]
                    raise
        finally:
            poll.users -= 1
            if not poll.users:
                del self._polls[poll_id]
