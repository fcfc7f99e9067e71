"""Discord as a platform: a guild is a community, a card is an embed with buttons."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import discord

from bot.adapters.discord import convert, moderation
from bot.adapters.discord.actions import ActionPayload
from bot.adapters.discord.client import build_client, connect, disconnect, point_at
from bot.adapters.discord.commands import CommandPayload, sync_commands
from bot.adapters.discord.events import GatewayEvents, Wiring
from bot.adapters.discord.interaction import ACK_AFTER
from bot.adapters.discord.render import outgoing
from bot.adapters.discord.routing import InteractionRouter
from bot.adapters.discord.webhooks import Reposter
from bot.config import Settings
from bot.core.cards import Message
from bot.core.i18n import Translator
from bot.core.model import Attachment, Channel, HoldOutcome, Member, MessageRef, Role
from bot.core.platform import EventSink, Platform

log = logging.getLogger(__name__)
ROLE_REASON = "Ponte: starting role for a new member"


class DiscordHandlers(GatewayEvents, InteractionRouter):
    """Everything the client hands over: gateway events and interactions."""


class DiscordPlatform(Platform):
    name = convert.PLATFORM

    def __init__(
        self,
        settings: Settings,
        translator: Translator,
        *,
        ack_after: float = ACK_AFTER,
        guild_ready_timeout: float = 0.5,
        identify_delay: float = 5.0,
    ) -> None:
        if not settings.wants_discord or settings.discord_token is None:
            raise ValueError("DISCORD_TOKEN is not set")
        self.settings = settings
        self.translator = translator
        self.ack_after = ack_after
        self.guild_ready_timeout = guild_ready_timeout
        self.identify_delay = identify_delay
        self.roles = convert.RoleMap(settings.moderator_roles, settings.staff_roles)
        self.client: discord.Client | None = None
        self._wiring: Wiring | None = None
        self._reposter: Reposter | None = None
        self._task: asyncio.Task[None] | None = None
        self.commands_synced: bool | None = None  # after start: were the commands written?
        self._mentioned_roles: set[int] = set()  # role mentions handed out: these may notify

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def dev_guild(self) -> int | None:
        value = (self.settings.discord_dev_guild or "").strip()
        return int(value) if value else None

    async def start(self, sink: EventSink) -> None:
        assert self.settings.discord_token is not None
        point_at(self.settings)
        wiring = Wiring(sink, self.roles, self.translator, self.ack_after)
        wiring.actions = self._actions().names(sink.message_actions)
        self._wiring = wiring
        client = build_client(
            self.settings,
            DiscordHandlers(wiring),
            guild_ready_timeout=self.guild_ready_timeout,
            identify_delay=self.identify_delay,
        )
        wiring.client = self.client = client
        self._reposter = Reposter(client)
        self._task = await connect(client, self.settings.discord_token.get_secret_value())
        try:
            await self._sync(sink)
        except discord.HTTPException:
            # The bot still works with the commands registered before: say so and go on.
            log.exception("could not sync the slash commands")
        log.info(
            "discord connected",
            extra={"user": str(client.user), "guilds": len(client.guilds)},
        )

    async def _sync(self, sink: EventSink) -> None:
        client = self._client()
        application_id = client.application_id
        if application_id is None:
            raise RuntimeError("discord did not tell the application id")
        # Slash commands and message commands share one list: one bulk overwrite.
        payload = CommandPayload(self.translator).build(sink.commands)
        payload += self._actions().build(sink.message_actions)
        self.commands_synced = await sync_commands(
            client.http, application_id, payload, self.dev_guild
        )

    def _actions(self) -> ActionPayload:
        return ActionPayload(self.translator, self.settings.default_language)

    async def stop(self) -> None:
        client, task = self.client, self._task
        self.client = self._task = None
        self._reposter = self._wiring = None
        if client is not None:
            await disconnect(client, task)

    def _client(self) -> discord.Client:
        if self.client is None:
            raise RuntimeError("the Discord platform is not started")
        return self.client

    def _guild(self, community_id: str) -> discord.Guild:
        guild = self._client().get_guild(int(community_id))
        if guild is None:
            raise LookupError(f"Ponte is not in the Discord guild {community_id}")
        return guild

    async def _messageable(self, channel_id: str) -> discord.abc.Messageable:
        client = self._client()
        found = client.get_channel(int(channel_id))
        if found is None:
            fetched = await client.fetch_channel(int(channel_id))
            found = fetched
        if not isinstance(found, discord.abc.Messageable):
            raise LookupError(f"Discord channel {channel_id} cannot hold messages")
        return found

    # -- messages ------------------------------------------------------------------------

    async def send(
        self, community_id: str, channel_id: str, message: Message, *, thread_of: str | None = None
    ) -> MessageRef:
        channel = await self._messageable(channel_id)
        kwargs = outgoing(message).send_kwargs()
        moderation.allow_role_mentions(kwargs, message.text, self._mentioned_roles)
        if thread_of and not isinstance(channel, discord.Thread):
            kwargs["reference"] = discord.MessageReference(
                message_id=int(thread_of), channel_id=int(channel_id), fail_if_not_exists=False
            )
        sent = await channel.send(**kwargs)
        return MessageRef(self.name, community_id, str(sent.channel.id), str(sent.id))

    async def send_dm(
        self, community_id: str, member_id: str, message: Message
    ) -> MessageRef | None:
        client = self._client()
        try:
            user = client.get_user(int(member_id)) or await client.fetch_user(int(member_id))
            channel = await user.create_dm()
            sent = await channel.send(**outgoing(message).send_kwargs())
        except discord.Forbidden:
            log.info("member does not accept DMs", extra={"member": member_id})
            return None
        return MessageRef(self.name, community_id, str(sent.channel.id), str(sent.id))

    async def send_ephemeral(
        self, community_id: str, channel_id: str, member_id: str, message: Message
    ) -> None:
        # Discord shows a message to one member only in answer to their interaction
        # (`Interaction.reply(ephemeral=True)`); outside one, a DM is the private way.
        await self.send_dm(community_id, member_id, message)

    def _partial(self, ref: MessageRef) -> discord.PartialMessage:
        return moderation.partial_message(self._client(), ref)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        kwargs = outgoing(message).edit_kwargs()
        moderation.allow_role_mentions(kwargs, message.text, self._mentioned_roles)
        await self._partial(ref).edit(**kwargs)

    async def delete(self, ref: MessageRef) -> None:
        try:
            await self._partial(ref).delete()
        except discord.NotFound:
            log.info("message already deleted", extra={"message": ref.message_id})

    # -- members, roles, channels -------------------------------------------------------

    async def add_role(self, community_id: str, member_id: str, role: str) -> bool:
        guild = self._guild(community_id)
        wanted = role.strip().lstrip("@")
        found = guild.get_role(int(wanted)) if wanted.isdigit() else None
        if found is None:
            found = discord.utils.find(
                lambda item: item.name.casefold() == wanted.casefold(), guild.roles
            )
        if found is None:
            log.warning("no such role", extra={"role": role, "guild": community_id})
            return False
        try:
            member = guild.get_member(int(member_id)) or await guild.fetch_member(int(member_id))
            await member.add_roles(found, reason=ROLE_REASON)
        except discord.Forbidden:
            log.warning(
                "not allowed to give the role: the bot needs Manage Roles and its own role "
                "above it",
                extra={"role": found.name, "guild": community_id},
            )
            return False
        except discord.NotFound:
            log.info("member left before the role was given", extra={"member": member_id})
            return False
        return True

    async def default_channel(self, community_id: str) -> Channel | None:
        guild = self._guild(community_id)
        me = guild.me
        candidates: list[discord.TextChannel] = []
        if guild.system_channel is not None:
            candidates.append(guild.system_channel)
        candidates.extend(sorted(guild.text_channels, key=lambda item: item.position))
        for channel in candidates:
            if channel.permissions_for(me).send_messages:
                return convert.channel(channel, guild.id)
        return None

    async def member_count(self, community_id: str) -> int | None:
        return self._guild(community_id).member_count

    async def resolve_member(self, community_id: str, reference: str) -> Member | None:
        guild = self._guild(community_id)
        found: discord.Member | None = None
        identifier = convert.member_id(reference)
        if identifier is not None:
            found = guild.get_member(identifier)
            if found is None:
                try:
                    found = await guild.fetch_member(identifier)
                except discord.NotFound:
                    return None
        else:
            name = reference.strip().lstrip("@").casefold()
            found = discord.utils.find(
                lambda item: name in (item.name.casefold(), item.display_name.casefold()),
                guild.members,
            )
            if found is None and name and not guild.chunked:
                # A large bot does not keep every member: ask the gateway for this one.
                try:
                    matches = await guild.query_members(query=name, limit=5)
                except TimeoutError:
                    return None
                found = next(
                    (m for m in matches if name in (m.name.casefold(), m.display_name.casefold())),
                    None,
                )
        return convert.member(found, guild.id, self.roles) if found is not None else None

    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None:
        guild = self._guild(community_id)
        identifier = convert.channel_id(reference)
        if identifier is not None:
            found = guild.get_channel_or_thread(identifier)
        else:
            name = reference.strip().lstrip("#").casefold()
            found = discord.utils.find(
                lambda item: item.name.casefold() == name, guild.text_channels
            )
        return convert.channel(found, guild.id) if found is not None else None

    def mention(self, member: Member) -> str:
        return f"<@{member.id}>"

    def channel_mention(self, channel: Channel) -> str:
        return f"<#{channel.id}>"

    # -- moderation (moderation.py, webhooks.py) ------------------------------------------

    async def hold(self, ref: MessageRef, notice: Message) -> HoldOutcome:
        try:
            return await moderation.hold(self._client(), ref, notice)
        except Exception:  # the contract: a hold never raises
            log.exception("could not hold a message")
            return HoldOutcome.FAILED

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
        if self._reposter is None:
            raise RuntimeError("the Discord platform is not started")
        return await self._reposter.repost(
            community_id, channel_id, author, text, attribution=attribution, thread_of=thread_of
        )

    async def timeout(
        self, community_id: str, member_id: str, until: datetime, reason: str
    ) -> bool:
        return await moderation.timeout(self._guild(community_id), member_id, until, reason)

    async def message_link(self, ref: MessageRef) -> str | None:
        return moderation.message_link(ref)

    async def role_channel(self, community_id: str, role: Role) -> Channel | None:
        return moderation.role_channel(
            self._guild(community_id),
            role,
            self.settings.discord_moderator_channel,
            self.settings.discord_staff_channel,
        )

    async def role_mention(self, community_id: str, role: Role) -> str | None:
        found = moderation.role_mention(
            self._guild(community_id),
            role,
            self.settings.moderator_roles,
            self.settings.staff_roles,
        )
        if found is None:
            return None
        self._mentioned_roles.add(found.id)
        return found.mention

    async def member_roles(self, community_id: str, member_id: str) -> frozenset[str] | None:
        return await moderation.member_roles(self._guild(community_id), member_id)

    async def fetch_file(self, community_id: str, reference: str) -> Attachment | None:
        """An attachment option's file (the router announced it): its declared size is
        checked before the download."""
        if self._wiring is None:
            return None
        return await self._wiring.attachments.fetch(self._client().http, reference)
