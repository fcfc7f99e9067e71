"""Discord's guilds, members and channels in the core's vocabulary, and back to ids."""

from __future__ import annotations

import re
from collections.abc import Iterable

import discord

from bot.core.model import Channel, Community, Member, Role

PLATFORM = "discord"
_MEMBER_MENTION = re.compile(r"<@!?(\d{15,21})>")
_CHANNEL_MENTION = re.compile(r"<#(\d{15,21})>")
_ID = re.compile(r"\d{15,21}")


def community(guild: discord.Guild) -> Community:
    return Community(PLATFORM, str(guild.id), guild.name)


class RoleMap:
    """Which Discord roles make a member a moderator or staff (names or ids, from the
    settings); admins are those with Manage Server (or Administrator)."""

    def __init__(self, moderator_roles: Iterable[str], staff_roles: Iterable[str]) -> None:
        self.moderator = {name.casefold() for name in moderator_roles}
        self.staff = {name.casefold() for name in staff_roles}

    @staticmethod
    def _has(member: discord.Member, wanted: set[str]) -> bool:
        return any(
            role.name.casefold() in wanted or str(role.id) in wanted for role in member.roles
        )

    def roles(self, member: discord.Member | discord.User) -> frozenset[Role]:
        found = {Role.MEMBER}
        if isinstance(member, discord.Member):
            permissions = member.guild_permissions
            if permissions.manage_guild or permissions.administrator:
                found.add(Role.ADMIN)
            if self._has(member, self.moderator):
                found.add(Role.MODERATOR)
            if self._has(member, self.staff):
                found.add(Role.STAFF)
        return frozenset(found)


def member(
    user: discord.Member | discord.User,
    guild_id: int | str,
    roles: RoleMap,
    locale: discord.Locale | None = None,
) -> Member:
    return Member(
        platform=PLATFORM,
        community_id=str(guild_id),
        id=str(user.id),
        name=user.name,
        display_name=user.display_name,
        roles=roles.roles(user),
        avatar_url=str(user.display_avatar.url),
        is_bot=user.bot,
        locale=language_of(locale),
    )


def language_of(locale: discord.Locale | None) -> str | None:
    """`it` for Italian, `en` for en-US or en-GB: the language part of a Discord locale."""
    return locale.value.split("-")[0] if locale is not None else None


def channel(
    where: discord.abc.GuildChannel | discord.Thread | discord.abc.Messageable | None,
    guild_id: int | str,
    channel_id: int | str | None = None,
) -> Channel:
    """A core channel; `where` may be a partial channel that only knows its id."""
    identifier = str(getattr(where, "id", None) or channel_id or "")
    name = getattr(where, "name", None) or identifier
    private = False
    if isinstance(where, discord.abc.GuildChannel):
        private = not where.permissions_for(where.guild.default_role).view_channel
    elif isinstance(where, discord.Thread):
        private = where.type is discord.ChannelType.private_thread
    return Channel(PLATFORM, str(guild_id), identifier, str(name), is_private=private)


def snowflake(reference: str, pattern: re.Pattern[str]) -> int | None:
    """The id a mention (`<@1>`, `<#1>`) or a bare id points at, else None."""
    text = reference.strip()
    match = pattern.fullmatch(text) or _ID.fullmatch(text)
    if match is None:
        return None
    return int(match.group(1) if match.groups() else match.group(0))


def member_id(reference: str) -> int | None:
    return snowflake(reference, _MEMBER_MENTION)


def channel_id(reference: str) -> int | None:
    return snowflake(reference, _CHANNEL_MENTION)
