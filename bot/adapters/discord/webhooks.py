"""Reposting a member's message under their name and avatar, through a channel webhook.

Ponte creates one webhook per channel (named Ponte) the first time it reposts there, and
finds it again after a restart among the channel's webhooks before creating another. A
thread is posted to through its parent channel's webhook. Where webhooks are refused (no
Manage Webhooks, or the channel already holds the 15 webhooks Discord allows) the text is
posted by the bot, with the attribution ("@x wrote:") above.
Mentions never notify anyone: the text was written to be read, not to ping again.

The messages of Ponte's webhook come back through the gateway; the gateway events drop
every webhook message, so a repost is never taken for a member's post.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import discord

from bot.adapters.discord import convert
from bot.adapters.discord.render import MAX_CONTENT, cut
from bot.core.model import Member, MessageRef

log = logging.getLogger(__name__)
WEBHOOK_NAME = "Ponte"
MAX_USERNAME = 80
# After Discord refused a channel's webhook, the reposts there go through the bot for this
# long before asking again: an admin who frees a webhook or grants the permission is
# heard within minutes, and a busy queue does not ask Discord at every restore.
REFUSAL_PAUSE = 300.0
SILENT = discord.AllowedMentions.none()
Postable = discord.TextChannel | discord.ForumChannel | discord.VoiceChannel


class Reposter:
    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._hooks: dict[int, discord.Webhook] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._refused_until: dict[int, float] = {}

    async def _channel(self, channel_id: int) -> discord.abc.GuildChannel | discord.Thread:
        found = self.client.get_channel(channel_id)
        if found is None:
            found = await self.client.fetch_channel(channel_id)
        if not isinstance(found, discord.abc.GuildChannel | discord.Thread):
            raise LookupError(f"Discord channel {channel_id} is not in a guild")
        return found

    async def _webhook(self, channel: Postable) -> discord.Webhook | None:
        """Ponte's webhook of `channel`: remembered, found again, or created; None when
        Discord refuses (no Manage Webhooks, no room for another), or refused lately."""
        lock = self._locks.setdefault(channel.id, asyncio.Lock())
        async with lock:  # two reposts at once create one webhook
            known = self._hooks.get(channel.id)
            if known is not None:
                return known
            if time.monotonic() < self._refused_until.get(channel.id, 0.0):
                return None
            me = self.client.user
            try:
                hooks = await channel.webhooks()
                own = next(
                    (
                        hook
                        for hook in hooks
                        if hook.token and hook.user is not None and me and hook.user.id == me.id
                    ),
                    None,
                )
                if own is None:
                    own = await channel.create_webhook(
                        name=WEBHOOK_NAME, reason="Ponte: reposting approved messages"
                    )
            except discord.Forbidden:
                log.warning(
                    "not allowed to use webhooks: reposting as the bot (Manage Webhooks)",
                    extra={"channel": channel.id},
                )
                self._refused_until[channel.id] = time.monotonic() + REFUSAL_PAUSE
                return None
            except discord.HTTPException as error:
                # 30007: the channel holds the 15 webhooks Discord allows, none of them ours.
                log.warning(
                    "could not get a webhook: reposting as the bot",
                    extra={"channel": channel.id, "status": error.status, "code": error.code},
                )
                self._refused_until[channel.id] = time.monotonic() + REFUSAL_PAUSE
                return None
            self._refused_until.pop(channel.id, None)
            self._hooks[channel.id] = own
            return own

    async def repost(
        self,
        community_id: str,
        channel_id: str,
        author: Member,
        text: str,
        *,
        attribution: str,
        thread_of: str | None = None,
    ) -> MessageRef:
        where = await self._channel(int(channel_id))
        thread: discord.Thread | None = where if isinstance(where, discord.Thread) else None
        reply_to: int | None = None
        if thread is None and thread_of:
            named = where.guild.get_channel_or_thread(int(thread_of))
            if isinstance(named, discord.Thread):
                thread = named
            else:
                reply_to = int(thread_of)  # a webhook cannot reply: only the fallback does
        parent: object = where
        if thread is not None:
            parent = thread.parent or await self._channel(thread.parent_id)
        if isinstance(parent, Postable):
            sent = await self._through_webhook(parent, thread, author, text)
            if sent is not None:
                return MessageRef(convert.PLATFORM, community_id, str(sent[0]), str(sent[1]))
        target = thread or where
        if not isinstance(target, discord.abc.Messageable):
            raise LookupError(f"Discord channel {channel_id} cannot hold messages")
        kwargs: dict[str, Any] = {
            "content": cut(f"{attribution}\n{text}", MAX_CONTENT),
            "allowed_mentions": SILENT,
        }
        if reply_to is not None:
            kwargs["reference"] = discord.MessageReference(
                message_id=reply_to, channel_id=target.id, fail_if_not_exists=False
            )
        message = await target.send(**kwargs)
        return MessageRef(convert.PLATFORM, community_id, str(message.channel.id), str(message.id))

    async def _through_webhook(
        self, parent: Postable, thread: discord.Thread | None, author: Member, text: str
    ) -> tuple[int, int] | None:
        """(channel id, message id) of the repost, or None where the webhook cannot."""
        for _attempt in range(2):
            hook = await self._webhook(parent)
            if hook is None:
                return None
            try:
                sent = await hook.send(
                    content=cut(text, MAX_CONTENT) or "\u200b",
                    username=cut(author.display_name or author.name, MAX_USERNAME),
                    avatar_url=author.avatar_url or discord.utils.MISSING,
                    allowed_mentions=SILENT,
                    thread=thread if thread is not None else discord.utils.MISSING,
                    wait=True,
                )
            except discord.NotFound:
                # An admin deleted the webhook: forget it and make a new one, once.
                self._hooks.pop(parent.id, None)
                continue
            except discord.HTTPException:
                # A name Discord refuses for webhooks ("discord", "clyde"…), or no access.
                log.warning("webhook refused the repost", exc_info=True)
                return None
            return (thread.id if thread is not None else parent.id), sent.id
        return None
