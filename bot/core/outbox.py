"""Sending through the right adapter, and remembering every sent message in the database.

Edits of one message land in the order of the states they show, and a burst of them is
coalesced: while one edit of a message is on its way, the states staged after it wait, and
only the newest of them is sent next. A card edited by many at once (a popular poll, a
review card, a digest) thus costs a handful of platform calls however many changes it had,
which keeps it inside the platforms' per-channel rate limits, and an older state never
overwrites a newer one."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.cards import Message
from bot.core.clock import Clock
from bot.core.edit_memory import EditMemory
from bot.core.model import Community, MessageRef
from bot.core.platforms import Platforms
from bot.core.serialize import message_to_json
from bot.storage.database import Database
from bot.storage.models import SentMessage
from bot.storage.prepared import Prepared


@dataclass(slots=True)
class _Edits:
    """One message's edits: the newest state staged for it, and the one that landed."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    staged: Message | None = None
    staged_number: int = 0
    landed_number: int = 0
    users: int = 0


class Outbox:
    def __init__(
        self, db: Database, platforms: Platforms, clock: Clock, *, remember_every: float = 0
    ) -> None:
        self._db = db
        self.memory = EditMemory(db, remember_every)
        self._platforms = platforms
        self._clock = clock
        self._edits: dict[MessageRef, _Edits] = {}

    async def send(
        self,
        community: Community,
        channel_id: str,
        message: Message,
        *,
        key: str | None = None,
        thread_of: str | None = None,
    ) -> MessageRef:
        platform = self._platforms.get(community.platform)
        ref = await platform.send(community.id, channel_id, message, thread_of=thread_of)
        await self.remember(ref, message, key=key)
        return ref

    async def dm(
        self, community: Community, member_id: str, message: Message, *, key: str | None = None
    ) -> MessageRef | None:
        platform = self._platforms.get(community.platform)
        ref = await platform.send_dm(community.id, member_id, message)
        if ref is not None:
            await self.remember(ref, message, key=key, visibility="dm", recipient_id=member_id)
        return ref

    async def ephemeral(
        self, community: Community, channel_id: str, member_id: str, message: Message
    ) -> None:
        platform = self._platforms.get(community.platform)
        await platform.send_ephemeral(community.id, channel_id, member_id, message)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        """Show `message` in place of the message `ref`, or let a newer state replace it:
        returns once this state or a newer one has landed."""
        platform = self._platforms.get(ref.platform)

        async def send(newest: Message) -> None:
            await platform.edit(ref, newest)
            await self.remember_edit(ref, newest)

        self.stage(ref, message)
        await self.land(ref, send)

    def stage(self, ref: MessageRef, message: Message) -> None:
        """Make `message` the newest state of `ref`. Stage in the order the states were
        made (a vote stages inside its transaction, whose lock orders the votes)."""
        edits = self._edits.setdefault(ref, _Edits())
        edits.staged = message
        edits.staged_number += 1

    async def land(self, ref: MessageRef, send: Callable[[Message], Awaitable[None]]) -> bool:
        """Send the newest state staged for `ref` with `send` (an edit through the platform,
        or the pressed button's own interaction), unless it landed already; one send at a
        time per message. True when this call sent it."""
        edits = self._edits.get(ref)
        if edits is None:
            return False
        edits.users += 1
        try:
            async with edits.lock:
                number, newest = edits.staged_number, edits.staged
                if newest is None or edits.landed_number >= number:
                    return False
                await send(newest)
                edits.landed_number = max(edits.landed_number, number)
                return True
        finally:
            edits.users -= 1
            if not edits.users and edits.landed_number >= edits.staged_number:
                del self._edits[ref]

    async def remember(
        self,
        ref: MessageRef,
        message: Message,
        *,
        key: str | None = None,
        visibility: str = "public",
        recipient_id: str | None = None,
    ) -> None:
        async with self._db.writing() as session:
            await _remember_sent().rows(
                session,
                {
                    "platform": ref.platform,
                    "community_id": ref.community_id,
                    "channel_id": ref.channel_id,
                    "message_id": ref.message_id,
                    "recipient_id": recipient_id,
                    "visibility": visibility,
                    "key": key,
                    "content": message_to_json(message),
                    "text": message.fallback_text,
                    "created_at": self._clock.now(),
                },
            )

    async def remember_edit(
        self, ref: MessageRef, message: Message, *, session: AsyncSession | None = None
    ) -> None:
        """Record an edit the platform made or is about to make (a button press that updates
        its message): one UPDATE, in `session` when given, so that it commits with the
        change the edit shows."""
        await self.memory.write(ref, message, self._clock.now(), session=session)

    async def remember_edit_later(
        self, ref: MessageRef, message: Message, *, session: AsyncSession
    ) -> None:
        """Record the edit a press makes with the next round of remembered cards (see
        `edit_memory.py`): a burst of presses on one card writes its newest state once."""
        await self.memory.later(ref, message, self._clock.now(), session=session)


@functools.cache
def _remember_sent() -> Prepared:
    """Every message sent is one insert: prepared, on the table, in one trip on SQLite."""
    columns = (
        "platform",
        "community_id",
        "channel_id",
        "message_id",
        "recipient_id",
        "visibility",
        "key",
        "content",
        "text",
        "created_at",
    )
    return Prepared(insert(cast(Table, SentMessage.__table__)), keys=columns)
