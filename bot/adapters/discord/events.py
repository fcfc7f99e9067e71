"""Gateway events in the core's vocabulary: members joining and leaving, messages posted,
edited and deleted. Bots, webhooks, system messages and DMs to the bot are not the community
talking, and are ignored. A failing handler is logged and never stops the gateway."""

from __future__ import annotations

import functools
import logging
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


class GatewayEvents:
    def __init__(self, wiring: Wiring) -> None:
        self.wiring = wiring

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
        cached = payload.cached_message
        if cached is not None and cached.content == message.content:
            return  # a link preview or an embed changed, not the text
        event = MessageEdited(**self._parts(message), thread_of=self._thread_of(message))
        await self.wiring.sink.message_edited(event)

    @guarded
    async def message_deleted(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is None:
            return  # a DM: no community
        client = self.wiring.client
        guild = client.get_guild(payload.guild_id) if client is not None else None
        where = guild.get_channel_or_thread(payload.channel_id) if guild is not None else None
        community = self._community(payload.guild_id)
        ref = MessageRef(
            convert.PLATFORM, community.id, str(payload.channel_id), str(payload.message_id)
        )
        channel = convert.channel(where, payload.guild_id, payload.channel_id)
        await self.wiring.sink.message_deleted(MessageDeleted(community, channel, ref))
