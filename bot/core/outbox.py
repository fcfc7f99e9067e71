"""Sending through the right adapter, and remembering every sent message in the database."""

from __future__ import annotations

from sqlalchemy import Select, select

from bot.core.cards import Message
from bot.core.clock import Clock
from bot.core.model import Community, MessageRef
from bot.core.platforms import Platforms
from bot.core.serialize import message_to_json
from bot.storage.database import Database
from bot.storage.models import SentMessage


class Outbox:
    def __init__(self, db: Database, platforms: Platforms, clock: Clock) -> None:
        self._db = db
        self._platforms = platforms
        self._clock = clock

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
        platform = self._platforms.get(ref.platform)
        await platform.edit(ref, message)
        await self.remember_edit(ref, message)

    async def remember(
        self,
        ref: MessageRef,
        message: Message,
        *,
        key: str | None = None,
        visibility: str = "public",
        recipient_id: str | None = None,
    ) -> None:
        async with self._db.session() as session:
            session.add(
                SentMessage(
                    platform=ref.platform,
                    community_id=ref.community_id,
                    channel_id=ref.channel_id,
                    message_id=ref.message_id,
                    recipient_id=recipient_id,
                    visibility=visibility,
                    key=key,
                    content=message_to_json(message),
                    text=message.fallback_text,
                    created_at=self._clock.now(),
                )
            )

    async def remember_edit(self, ref: MessageRef, message: Message) -> None:
        """Record an edit the platform already made (a button press that updated its message)."""
        async with self._db.session() as session:
            row = await session.scalar(self._lookup(ref))
            if row is not None:
                row.content = message_to_json(message)
                row.text = message.fallback_text
                row.edited_at = self._clock.now()

    @staticmethod
    def _lookup(ref: MessageRef) -> Select[tuple[SentMessage]]:
        return (
            select(SentMessage)
            .where(
                SentMessage.platform == ref.platform,
                SentMessage.community_id == ref.community_id,
                SentMessage.channel_id == ref.channel_id,
                SentMessage.message_id == ref.message_id,
            )
            .order_by(SentMessage.id.desc())
            .limit(1)
        )
