"""Gateway events in the core's vocabulary: members joining and leaving, messages posted,
edited and deleted. Bots, webhooks, system messages and DMs to the bot are not the community
talking, and are ignored. A failing handler is logged and never stops the gateway."""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, ParamSpec

import discord

from bot.adapters.discord import convert
from bot.adapters.discord.files import PendingAttachments
from bot.core.events import MemberJoined, MemberLeft, MessageDeleted, MessageEdited, MessagePosted
from bot.core.i18n import Translator
from bot.core.model import Community, MessageRef
from bot.core.platform import EventSink

log = logging.getLogger(__name__)
P = ParamSpec("P")
# What members write; joins, pins, boosts and the like are Discord's own notices.
MEMBER_MESSAGES = (discord.MessageType.default, discord.MessageType.reply)
EDITS_REMEMBERED = 10_000


def guarded(
    handler: Callable[P, Awaitable[None]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Log a handler's failure with its traceback; the gateway loop goes on."""

    @functools.wraps(handler)
    async def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await handler(*args, **kwargs)
        except Exception:
            log.exception("discord handler failed", extra={"handler": handler.__name__})

    return run


@dataclass
class Wiring:
    """What the handlers need: the core, who counts as what, the catalogs, the client."""

    sink: EventSink
    roles: convert.RoleMap
    translator: Translator
    ack_after: float
    client: discord.Client | None = None
    # Discord's message-command names → the core's message actions.
    actions: dict[str, str] = field(default_factory=dict)
    attachments: PendingAttachments = field(default_factory=PendingAttachments)


class TextEdits:
    """Which MESSAGE_UPDATEs are a member editing the text. Discord sends one as well when
    it adds a link's preview, or a message is pinned: those keep `edited_timestamp` as it
    was (null when never edited). Without discord.py's message cache (kept off for
    memory) there is no older copy to compare, so the last `edited_timestamp` handled is
    remembered for the most recent messages."""

    def __init__(self, limit: int = EDITS_REMEMBERED) -> None:
        self.limit = limit
        self._seen: OrderedDict[int, str] = OrderedDict()

    def is_new(self, message_id: int, edited_at: object) -> bool:
        if not isinstance(edited_at, str) or self._seen.get(message_id) == edited_at:
            return False
        self._seen[message_id] = edited_at
        self._seen.move_to_end(message_id)
        while len(self._seen) > self.limit:
            self._seen.popitem(last=False)
        return True


class GatewayEvents:
    def __init__(self, wiring: Wiring) -> None:
        self.wiring = wiring
        self.text_edits = TextEdits()

    def _community(self, guild_id: int) -> Community:
        client = self.wiring.client
        guild = client.get_guild(guild_id) if client is not None else None
        if guild is not None:
            return convert.community(guild)
        return Community(convert.PLATFORM, str(guild_id), "")

    @guarded
    async def member_joined(self, member: discord.Member) -> None:
        if member.bot:
            return
        event = MemberJoined(
            convert.community(member.guild),
            convert.member(member, member.guild.id, self.wiring.roles),
        )
        await self.wiring.sink.member_joined(event)

    @guarded
    async def member_left(self, payload: discord.RawMemberRemoveEvent) -> None:
        if payload.user.bot:
            return
        event = MemberLeft(
            self._community(payload.guild_id),
            convert.member(payload.user, payload.guild_id, self.wiring.roles),
        )
        await self.wiring.sink.member_left(event)

    @staticmethod
    def _from_member(message: discord.Message) -> bool:
        # Webhook messages are never a member's: Ponte's own reposts come back this way.
        return (
            message.guild is not None
            and not message.author.bot
            and message.webhook_id is None
            and message.type in MEMBER_MESSAGES
        )

    @staticmethod
    def _reply_to(message: discord.Message) -> str | None:
        reference = message.reference
        if message.type is discord.MessageType.reply and reference and reference.message_id:
            return str(reference.message_id)
        return None

    @classmethod
    def _thread_of(cls, message: discord.Message) -> str | None:
        """A reply names the message it answers; a message in a thread names the thread."""
        reply_to = cls._reply_to(message)
        if reply_to is not None:
            return reply_to
        if isinstance(message.channel, discord.Thread):
            return str(message.channel.id)
        return None

    def _parts(self, message: discord.Message, text: str | None = None) -> dict[str, Any]:
        guild = message.guild
        assert guild is not None
        return {
            "community": convert.community(guild),
            "channel": convert.channel(message.channel, guild.id),
            "author": convert.member(message.author, guild.id, self.wiring.roles),
            "text": message.content if text is None else text,
            "ref": MessageRef(
                convert.PLATFORM, str(guild.id), str(message.channel.id), str(message.id)
            ),
        }

    @guarded
    async def message_created(self, message: discord.Message, content: str) -> None:
        if not self._from_member(message):
            return
        event = MessagePosted(
            **self._parts(message, content),
            thread_of=self._thread_of(message),
            reply_to=self._reply_to(message),
        )
        await self.wiring.sink.message_posted(event)

    @guarded
    async def message_edited(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if not self._from_member(message):
            return
        if not self.text_edits.is_new(message.id, payload.data.get("edited_timestamp")):
            return  # a link preview, an embed or a pin changed, not the text
        event = MessageEdited(**self._parts(message), thread_of=self._thread_of(message))
        await self.wiring.sink.message_edited(event)

    @guarded
    async def message_deleted(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self._deleted(payload.guild_id, payload.channel_id, [payload.message_id])

    @guarded
    async def messages_deleted(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        """A purge (a moderation bot's, or a ban that deletes the member's messages)."""
        await self._deleted(payload.guild_id, payload.channel_id, sorted(payload.message_ids))

    async def _deleted(self, guild_id: int | None, channel_id: int, message_ids: list[int]) -> None:
        if guild_id is None:
            return  # a DM: no community
        client = self.wiring.client
        guild = client.get_guild(guild_id) if client is not None else None
        where = guild.get_channel_or_thread(channel_id) if guild is not None else None
        community = self._community(guild_id)
        channel = convert.channel(where, guild_id, channel_id)
        for message_id in message_ids:
            ref = MessageRef(convert.PLATFORM, community.id, str(channel_id), str(message_id))
            await self.wiring.sink.message_deleted(MessageDeleted(community, channel, ref))
