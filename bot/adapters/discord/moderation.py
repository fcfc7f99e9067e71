"""What moderation asks of Discord: hold a message, time a member out, link to a message,
find the moderators' and staff's channels, read a member's roles.

None of these raise on Discord's refusals: a missing permission or a message already
gone is an answer (HoldOutcome.FAILED, False, None) the cog turns into a notice to staff.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import discord

from bot.adapters.discord import convert
from bot.adapters.discord.render import outgoing
from bot.core.cards import Message
from bot.core.model import Channel, HoldOutcome, MessageRef, Role

log = logging.getLogger(__name__)
# Discord refuses a timeout more than 28 days ahead; a minute's margin for clock skew.
MAX_TIMEOUT = timedelta(days=28) - timedelta(minutes=1)
MAX_REASON = 512  # the audit log's limit


def message_link(ref: MessageRef) -> str:
    guild = ref.community_id if ref.community_id.isdigit() else "@me"
    return f"https://discord.com/channels/{guild}/{ref.channel_id}/{ref.message_id}"


def partial_message(client: discord.Client, ref: MessageRef) -> discord.PartialMessage:
    """The message `ref` names, for deleting, editing or answering it without a fetch."""
    guild_id = int(ref.community_id) if ref.community_id.isdigit() else None
    channel = client.get_partial_messageable(int(ref.channel_id), guild_id=guild_id)
    return channel.get_partial_message(int(ref.message_id))


async def hold(client: discord.Client, ref: MessageRef, notice: Message) -> HoldOutcome:
    """Delete the member's message (Manage Messages); where Discord refuses, answer it with
    `notice` and leave it in place."""
    message = partial_message(client, ref)
    try:
        await message.delete()
        return HoldOutcome.HIDDEN
    except discord.NotFound:
        log.info("held message already gone", extra={"message": ref.message_id})
        return HoldOutcome.FAILED
    except discord.Forbidden:
        log.warning(
            "not allowed to delete a member's message: the bot needs Manage Messages",
            extra={"channel": ref.channel_id},
        )
    except (discord.HTTPException, ValueError):
        log.exception("could not delete a held message")
        return HoldOutcome.FAILED
    return await _notice(message, ref, notice)


async def _notice(message: discord.PartialMessage, ref: MessageRef, notice: Message) -> HoldOutcome:
    kwargs = outgoing(notice).send_kwargs()
    kwargs["reference"] = discord.MessageReference(
        message_id=message.id, channel_id=message.channel.id, fail_if_not_exists=True
    )
    try:
        await message.channel.send(**kwargs)
    except (discord.HTTPException, ValueError):
        log.warning("could not post the review notice", extra={"message": ref.message_id})
        return HoldOutcome.FAILED
    return HoldOutcome.NOTICED


async def guild_member(guild: discord.Guild, member_id: str) -> discord.Member | None:
    """The guild's member from the cache, else from the API; None when Discord has none."""
    if not member_id.isdigit():
        return None
    found = guild.get_member(int(member_id))
    if found is not None:
        return found
    try:
        return await guild.fetch_member(int(member_id))
    except discord.HTTPException:
        return None


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def timeout(guild: discord.Guild, member_id: str, until: datetime, reason: str) -> bool:
    """Discord's communication timeout until `until` (at most 28 days ahead; a moment
    already past lifts it). False when the bot may not: no Moderate Members, or the
    member is the owner, an administrator or above the bot's own role."""
    member = await guild_member(guild, member_id)
    if member is None:
        return False
    me = guild.me
    if (
        member.id == guild.owner_id
        or member.guild_permissions.administrator
        or not me.guild_permissions.moderate_members
        or member.top_role >= me.top_role
    ):
        log.warning(
            "not allowed to time the member out: the bot needs Moderate Members and its "
            "role above theirs",
            extra={"member": member_id, "guild": guild.id},
        )
        return False
    now = discord.utils.utcnow()
    wanted = min(_aware(until), now + MAX_TIMEOUT)
    try:
        await member.edit(
            timed_out_until=wanted if wanted > now else None, reason=reason[:MAX_REASON] or None
        )
    except discord.Forbidden:
        log.warning("Discord refused the timeout", extra={"member": member_id})
        return False
    except discord.NotFound:
        log.info("member left before the timeout", extra={"member": member_id})
        return False
    return True


def _wanted(setting: str) -> list[str]:
    return [item.strip().lstrip("#").casefold() for item in setting.split(",") if item.strip()]


def role_channel(
    guild: discord.Guild, role: Role, moderator_setting: str, staff_setting: str
) -> Channel | None:
    """The first text channel of the guild (in Discord's order) that the role's setting
    names, by name or id: DISCORD_MODERATOR_CHANNEL, DISCORD_STAFF_CHANNEL."""
    settings = {Role.MODERATOR: moderator_setting, Role.STAFF: staff_setting}
    if role not in settings:
        return None
    wanted = set(_wanted(settings[role]))
    for channel in sorted(guild.text_channels, key=lambda item: item.position):
        if channel.name.casefold() in wanted or str(channel.id) in wanted:
            return convert.channel(channel, guild.id)
    return None


def _role_keys(roles: Iterable[discord.Role], guild_id: int) -> frozenset[str]:
    keys: set[str] = set()
    for role in roles:
        if role.id != guild_id:  # @everyone is every member's
            keys.update((role.name.casefold(), str(role.id)))
    return frozenset(keys)


async def member_roles(guild: discord.Guild, member_id: str) -> frozenset[str] | None:
    member = await guild_member(guild, member_id)
    return None if member is None else _role_keys(member.roles, guild.id)


def role_mention(
    guild: discord.Guild, role: Role, moderator_roles: tuple[str, ...], staff_roles: tuple[str, ...]
) -> discord.Role | None:
    """The guild role that DISCORD_MODERATOR_ROLES or DISCORD_STAFF_ROLES names first (by
    name or id): the one an urgent alert mentions."""
    settings = {Role.MODERATOR: moderator_roles, Role.STAFF: staff_roles}
    for wanted in settings.get(role, ()):
        key = wanted.strip().lstrip("@").casefold()
        for found in guild.roles:
            if found.name.casefold() == key or str(found.id) == key:
                return found
    return None


def allow_role_mentions(kwargs: dict[str, object], text: str, role_ids: set[int]) -> None:
    """Let the roles Ponte itself mentioned (an alert to staff) notify; a role named in any
    other text, a member's above all, stays silent."""
    pinged = [discord.Object(role_id) for role_id in role_ids if f"<@&{role_id}>" in text]
    if pinged:
        kwargs["allowed_mentions"] = discord.AllowedMentions(
            everyone=False, users=True, roles=pinged, replied_user=False
        )
