"""Plain data records for the emulated Discord world and their documented JSON shapes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .constants import (
    ALL_PERMISSIONS,
    DISCORD_EPOCH_MS,
    ChannelType,
    Permission,
)

JSON = dict[str, Any]


class Snowflakes:
    """Generates real, monotonically increasing snowflakes (as strings)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._increment = 0

    def next(self) -> str:
        with self._lock:
            now_ms = int(time.time() * 1000)
            if now_ms <= self._last_ms:
                self._increment += 1
                if self._increment > 0xFFF:
                    self._last_ms += 1
                    self._increment = 0
            else:
                self._last_ms = now_ms
                self._increment = 0
            ms = self._last_ms
            return str(((ms - DISCORD_EPOCH_MS) << 22) | (1 << 17) | (1 << 12) | self._increment)


def iso_now() -> str:
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass
class User:
    id: str
    username: str
    global_name: str | None = None
    bot: bool = False
    discriminator: str = "0"
    avatar: str | None = None
    locale: str = "en-US"
    system: bool = False

    def payload(self) -> JSON:
        data: JSON = {
            "id": self.id,
            "username": self.username,
            "discriminator": self.discriminator,
            "global_name": self.global_name,
            "avatar": self.avatar,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        if self.system:
            data["system"] = True
        return data


@dataclass
class Role:
    id: str
    name: str
    permissions: int
    position: int
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    tags: JSON | None = None

    def payload(self) -> JSON:
        data: JSON = {
            "id": self.id,
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.tags is not None:
            data["tags"] = dict(self.tags)
        return data


@dataclass
class Overwrite:
    id: str
    type: int  # 0 = role, 1 = member
    allow: int = 0
    deny: int = 0

    def payload(self) -> JSON:
        return {"id": self.id, "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    id: str
    type: int
    name: str | None = None
    guild_id: str | None = None
    position: int = 0
    topic: str | None = None
    parent_id: str | None = None
    nsfw: bool = False
    overwrites: list[Overwrite] = field(default_factory=list)
    rate_limit_per_user: int = 0
    last_message_id: str | None = None
    last_pin_timestamp: str | None = None
    recipient_id: str | None = None  # DM channels only

    @property
    def is_dm(self) -> bool:
        return self.type == ChannelType.DM


@dataclass
class Member:
    user_id: str
    roles: list[str] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)
    nick: str | None = None
    flags: int = 0
    pending: bool = False
    communication_disabled_until: str | None = None
    deaf: bool = False
    mute: bool = False


@dataclass
class Guild:
    id: str
    name: str
    owner_id: str
    system_channel_id: str | None = None
    rules_channel_id: str | None = None
    preferred_locale: str = "en-US"
    description: str | None = None
    roles: dict[str, Role] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)
    bans: dict[str, str | None] = field(default_factory=dict)
    bot_joined_at: str = field(default_factory=iso_now)
    features: list[str] = field(default_factory=list)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def role_by_name(self, name: str) -> Role | None:
        wanted = name.lstrip("@").casefold()
        for role in self.roles.values():
            if role.name.lstrip("@").casefold() == wanted:
                return role
        return None

    def channel_by_name(self, name: str) -> Channel | None:
        wanted = name.lstrip("#").casefold()
        for channel in self.channels.values():
            if channel.name is not None and channel.name.casefold() == wanted:
                return channel
        return None

    def top_role_position(self, user_id: str) -> int:
        if user_id == self.owner_id:
            return 1 << 30
        member = self.members.get(user_id)
        if member is None:
            return -1
        return max((self.roles[r].position for r in member.roles if r in self.roles), default=0)

    # -- permissions (https://discord.com/developers/docs/topics/permissions) ------------------

    def base_permissions(self, user_id: str) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = self.everyone.permissions
        for role_id in member.roles:
            role = self.roles.get(role_id)
            if role is not None:
                perms |= role.permissions
        if perms & Permission.ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms

    def channel_permissions(self, user_id: str, channel: Channel | None) -> int:
        perms = self.base_permissions(user_id)
        if channel is None or perms & Permission.ADMINISTRATOR or perms == ALL_PERMISSIONS:
            return perms
        member = self.members.get(user_id)
        if member is None:
            return 0
        by_id = {ow.id: ow for ow in channel.overwrites}
        everyone = by_id.get(self.id)
        if everyone is not None:
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.roles:
            ow = by_id.get(role_id)
            if ow is not None and ow.type == 0:
                allow |= ow.allow
                deny |= ow.deny
        perms = (perms & ~deny) | allow
        own = by_id.get(user_id)
        if own is not None and own.type == 1:
            perms = (perms & ~own.deny) | own.allow
        if not perms & Permission.VIEW_CHANNEL:
            return 0
        if not perms & Permission.SEND_MESSAGES:
            perms &= ~(
                Permission.MENTION_EVERYONE
                | Permission.SEND_TTS_MESSAGES
                | Permission.ATTACH_FILES
                | Permission.EMBED_LINKS
            )
        return perms


@dataclass
class Webhook:
    id: str
    token: str
    channel_id: str
    guild_id: str
    name: str
    creator_id: str
    application_id: str | None
    avatar: str | None = None


@dataclass
class StoredFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class UploadedFile:
    """A file part of a multipart request (``files[n]``)."""

    field_name: str
    filename: str
    content_type: str
    data: bytes
