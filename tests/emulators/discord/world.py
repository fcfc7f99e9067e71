"""Storage for the emulated world, identities and lookups."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .constants import MEMBER_FLAG_DID_REJOIN, ChannelType
from .errors import (
    UNKNOWN_CHANNEL,
    UNKNOWN_MEMBER,
    UNKNOWN_MESSAGE,
    UNKNOWN_ROLE,
    UNKNOWN_USER,
    ApiError,
)
from .models import Channel, Guild, Member, Role, Snowflakes, StoredFile, User, Webhook

JSON = dict[str, Any]
Emitter = Callable[[str, JSON, "str | None"], None]


class ChannelMessages(dict[str, list[JSON]]):
    """``messages[channel_id]`` -> messages in creation order (edits applied, deletions removed).

    Keys are snowflake strings; ints are accepted too.  Unknown channels give ``[]``.
    """

    def __getitem__(self, key: object) -> list[JSON]:
        return super().get(str(key)) or []

    def __contains__(self, key: object) -> bool:
        return super().__contains__(str(key))

    def bucket(self, channel_id: str) -> list[JSON]:
        return self.setdefault(channel_id, [])


@dataclass
class MessageMeta:
    channel_id: str
    interaction_id: str | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)  # emoji key -> user ids
    reaction_emoji: dict[str, JSON] = field(default_factory=dict)


@dataclass
class Author:
    """Who a message is from: a user (maybe the bot) or a webhook."""

    user_id: str
    webhook: Webhook | None = None
    username: str | None = None  # webhook execute's ``username`` override


class World:
    """Users, guilds, channels, messages, webhooks and files, plus lookups that raise
    :class:`ApiError` (404 with Discord's codes) like the REST API does."""

    def __init__(
        self,
        *,
        token: str,
        bot_name: str,
        owner_name: str,
        privileged_intents: Iterable[str],
    ) -> None:
        self.ids = Snowflakes()
        self.token = token
        self.privileged_intents = set(privileged_intents)
        self.base_url = ""  # http://host:port, set when the server starts
        self.emit: Emitter = lambda event, payload, guild_id: None
        self.on_change: Callable[[], None] = lambda: None

        self.users: dict[str, User] = {}
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, Channel] = {}
        self.dm_channels: dict[str, Channel] = {}  # recipient user id -> DM channel
        self.closed_dms: set[str] = set()
        self.messages = ChannelMessages()
        self.message_index: dict[str, JSON] = {}
        self.message_meta: dict[str, MessageMeta] = {}
        self.deleted_messages: list[JSON] = []
        self.webhooks: dict[str, Webhook] = {}
        self.files: dict[str, StoredFile] = {}
        self.downloads: list[str] = []  # attachment ids fetched from the CDN, in order
        self.presence: JSON | None = None
        self.departed: dict[str, set[str]] = {}  # guild id -> user ids that left
        self.thread_owners: dict[str, str] = {}  # thread id -> the member who started it

        # A modern application's bot user shares the application's id.
        self.application_id = self.ids.next()
        bot = User(id=self.application_id, username=bot_name, bot=True, discriminator="1000")
        self.bot_user_id = bot.id
        self.users[bot.id] = bot
        self.application_name = bot_name
        owner = User(id=self.ids.next(), username=owner_name, global_name=owner_name.title())
        self.users[owner.id] = owner
        self.owner_id = owner.id

    def new_token(self) -> str:
        return secrets.token_urlsafe(48)

    # ------------------------------------------------------------------ lookups

    def user(self, user_id: str | int) -> User:
        user = self.users.get(str(user_id))
        if user is None:
            raise ApiError(404, UNKNOWN_USER, "Unknown User")
        return user

    def channel(self, channel_id: str | int) -> Channel:
        channel = self.channels.get(str(channel_id))
        if channel is None:
            raise ApiError(404, UNKNOWN_CHANNEL, "Unknown Channel")
        return channel

    def guild_by_id(self, guild_id: str | int) -> Guild:
        guild = self.guilds.get(str(guild_id))
        if guild is None:
            raise ApiError(404, 10004, "Unknown Guild")
        return guild

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def member(self, guild: Guild, user_id: str | int) -> Member:
        member = guild.members.get(str(user_id))
        if member is None:
            raise ApiError(404, UNKNOWN_MEMBER, "Unknown Member")
        return member

    def message(self, message_id: str | int, channel_id: str | int | None = None) -> JSON:
        msg = self.message_index.get(str(message_id))
        if msg is None or (channel_id is not None and msg["channel_id"] != str(channel_id)):
            raise ApiError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return msg

    def resolve_channel(self, ref: str | int) -> Channel:
        """A channel id (int or str) or a guild channel name (``"general"``/``"#general"``)."""
        text = str(ref)
        if text.isdigit():
            return self.channel(text)
        for guild in self.guilds.values():
            channel = guild.channel_by_name(text)
            if channel is not None:
                return channel
        raise KeyError(f"no channel named {text!r}")

    def resolve_role(self, guild: Guild, ref: str | int) -> Role:
        text = str(ref)
        role = guild.roles.get(text) if text.isdigit() else guild.role_by_name(text)
        if role is None:
            raise ApiError(404, UNKNOWN_ROLE, "Unknown Role")
        return role

    def dm_channel(self, user_id: str) -> Channel:
        """The bot's DM channel with ``user_id`` (created on first use, like Discord)."""
        channel = self.dm_channels.get(user_id)
        if channel is None:
            self.user(user_id)
            channel = Channel(id=self.ids.next(), type=ChannelType.DM, recipient_id=user_id)
            self.dm_channels[user_id] = channel
            self.channels[channel.id] = channel
        return channel

    def bot_role(self, guild: Guild) -> Role:
        for role in guild.roles.values():
            if role.managed and (role.tags or {}).get("bot_id") == self.bot_user_id:
                return role
        return guild.everyone

    # ------------------------------------------------------------------ population

    def add_user(
        self,
        name: str,
        *,
        global_name: str | None = None,
        bot: bool = False,
        locale: str = "en-US",
    ) -> User:
        user = User(
            id=self.ids.next(),
            username=name,
            global_name=None if bot else (global_name or name),
            bot=bot,
            discriminator="1000" if bot else "0",
            locale=locale,
        )
        self.users[user.id] = user
        return user

    def add_member(self, guild: Guild, user_id: str, roles: Iterable[str | int] = ()) -> Member:
        role_ids = [self.resolve_role(guild, r).id for r in roles]
        rejoined = user_id in self.departed.get(guild.id, set())
        member = Member(
            user_id=user_id, roles=role_ids, flags=MEMBER_FLAG_DID_REJOIN if rejoined else 0
        )
        guild.members[user_id] = member
        self.on_change()
        return member
