"""The remembered state of edited messages, written behind.

Every message the bot sent is kept with its current content, so it can be edited after a
restart and the console can find its buttons. A vote edits its poll's card, and writing
that copy inside the vote's transaction was a third of the vote's cost: a statement and,
on SQLite, three hand-offs to the driver's thread. A press's card is instead kept here and
the newest card of each message written every `every` seconds, by one transaction: a
burst of presses on one card writes it once.

No remembered state overwrites a newer one: a state written at once (a close, a digest)
drops the older one waiting here, and each write is conditional on the row's edit time,
so a process that writes late never undoes a newer edit another process wrote. A crash
loses at most the last interval's card, which the next vote or the close rewrites.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import UpdateBase

from bot.core.cards import Message
from bot.core.model import MessageRef
from bot.core.serialize import message_to_json
from bot.storage.behind import WrittenBehind
from bot.storage.database import Database
from bot.storage.models import SentMessage


class EditMemory(WrittenBehind):
    what = "edited cards"

    def __init__(self, db: Database, every: float) -> None:
        super().__init__(every)
        self._db = db
        self._pending: dict[MessageRef, tuple[Message, datetime]] = {}
        self._lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._pending)

    async def write(
        self,
        ref: MessageRef,
        message: Message,
        at: datetime,
        *,
        session: AsyncSession | None = None,
    ) -> None:
        """Remember `message` as the state of `ref` now, in `session` when given."""
        waiting = self._pending.get(ref)
        if waiting is not None and waiting[1] <= at:
            del self._pending[ref]
        values = _values(ref, message, at)
        if session is not None:
            await session.execute(_remember(later=False), values)
            return
        async with self._db.session() as own:
            await own.execute(_remember(later=False), values)

    async def later(
        self, ref: MessageRef, message: Message, at: datetime, *, session: AsyncSession
    ) -> None:
        """Remember `message` as the state of `ref` by the next flush; at once, in
        `session`, when nothing is written behind."""
        if self.every <= 0:
            await self.write(ref, message, at, session=session)
            return
        waiting = self._pending.get(ref)
        if waiting is None or waiting[1] <= at:
            self._pending[ref] = (message, at)

    async def flush(self) -> None:
        """Write every waiting state now; on failure they stay waiting and it raises."""
        if not self._pending and not self._lock.locked():
            return
        async with self._lock:
            taken, self._pending = self._pending, {}
            if not taken:
                return
            try:
                async with self._db.writing() as session:
                    for ref, (message, at) in taken.items():
                        await session.execute(_remember(later=True), _values(ref, message, at))
            except BaseException:
                for ref, (message, at) in taken.items():
                    newer = self._pending.get(ref)
                    if newer is None or newer[1] < at:
                        self._pending[ref] = (message, at)
                raise


def _values(ref: MessageRef, message: Message, at: datetime) -> dict[str, Any]:
    return {
        "ref_platform": ref.platform,
        "ref_community": ref.community_id,
        "ref_channel": ref.channel_id,
        "ref_message": ref.message_id,
        "new_content": message_to_json(message),
        "new_text": message.fallback_text,
        "new_edited_at": at,
    }


@functools.cache
def _remember(*, later: bool) -> UpdateBase:
    """Built once: a remembered card costs no SQL building, only its parameters. The newest
    row of the message is updated unless it was edited after `at`; a state written behind
    also yields to one written at once at the same moment (a clock that stands still in a
    test, or two edits within its resolution)."""
    at = bindparam("new_edited_at", type_=SentMessage.edited_at.type)
    latest = (
        select(SentMessage.id)
        .where(
            SentMessage.platform == bindparam("ref_platform"),
            SentMessage.community_id == bindparam("ref_community"),
            SentMessage.channel_id == bindparam("ref_channel"),
            SentMessage.message_id == bindparam("ref_message"),
        )
        .order_by(SentMessage.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        update(SentMessage)
        .where(
            SentMessage.id == latest,
            or_(
                SentMessage.edited_at.is_(None),
                SentMessage.edited_at < at if later else SentMessage.edited_at <= at,
            ),
        )
        .values(
            content=bindparam("new_content", type_=SentMessage.content.type),
            text=bindparam("new_text"),
            edited_at=at,
        )
        .execution_options(synchronize_session=False)
    )
