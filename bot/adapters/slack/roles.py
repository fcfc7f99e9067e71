"""Slack has no roles: admins are the workspace's own (or listed in SLACK_ADMINS); moderators
and staff are the members of a channel (or of a user group) named in the settings.

Memberships are kept a minute, and forgotten as soon as Slack says someone joined or left
a channel, so a new moderator can act at once.
"""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.directory import Directory, SlackUser
from bot.core.model import Role

log = logging.getLogger(__name__)
GROUP_TTL = 60.0
PAGE = 200


def _names_group(item: str) -> bool:
    """`@handle` or a user group id (`S…`): people, not a channel."""
    return item.startswith("@") or (item[:1] == "S" and item.isupper())


class RoleResolver:
    def __init__(
        self,
        client: AsyncWebClient,
        directory: Directory,
        *,
        admins: tuple[str, ...] = (),
        moderators: str = "",
        staff: str = "",
    ) -> None:
        self.client = client
        self.directory = directory
        self.admins = frozenset(admins)
        self.groups = {Role.MODERATOR: moderators.strip(), Role.STAFF: staff.strip()}
        self._members: dict[str, tuple[frozenset[str], float]] = {}
        self._channel_of: dict[str, str] = {}  # handle -> the channel id it named
        self._warned: set[str] = set()

    async def roles(self, user: SlackUser) -> frozenset[Role]:
        found = {Role.MEMBER}
        if user.is_admin or user.id in self.admins:
            found.add(Role.ADMIN)
        for role, handle in self.groups.items():
            if handle and user.id in await self.members_of(handle):
                found.add(role)
        return frozenset(found)

    def channel_handles(self, role: Role) -> list[str]:
        """The channels named for `role` (SLACK_MODERATOR_CHANNEL, SLACK_STAFF_CHANNEL); a user
        group (`@handle`, `S…`) gathers people, not messages, and names no channel."""
        return [item for item in self._handles(role) if not _names_group(item)]

    async def mention(self, role: Role) -> str | None:
        """What notifies the role: its user group (`<!subteam^S…>`) when the setting names
        one, else `<!channel>`, posted in the role's channel, whose members are the role."""
        for item in self._handles(role):
            if _names_group(item):
                try:
                    group_id = await self._group_id(item.lstrip("@"))
                except SlackApiError:
                    group_id = None
                if group_id is not None:
                    return f"<!subteam^{group_id}>"
        return "<!channel>" if self.channel_handles(role) else None

    def _handles(self, role: Role) -> list[str]:
        """The comma-separated names in the role's setting."""
        named = (item.strip() for item in self.groups.get(role, "").split(","))
        return [item for item in named if item]

    def invalidate(self, channel_id: str = "") -> None:
        """Someone joined or left `channel_id`: if a role depends on it, read it again."""
        if not channel_id:
            self._members.clear()
            return
        for handle, named in self._channel_of.items():
            if named == channel_id:
                self._members.pop(handle, None)

    async def members_of(self, handle: str) -> frozenset[str]:
        cached = self._members.get(handle)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        members = await self._lookup(handle)
        if members is None:
            members = cached[0] if cached else frozenset()
        self._members[handle] = (members, time.monotonic() + GROUP_TTL)
        return members

    async def _lookup(self, handle: str) -> frozenset[str] | None:
        """A channel (name or id) first, then a user group (handle or id); a user group
        first when the setting names one (`@moderatori`, `S…`), though a channel of that
        name exists."""
        name = handle.lstrip("#@")
        channel_first = not _names_group(handle)
        try:
            for as_channel in (channel_first, not channel_first):
                found = await (
                    self._members_of_channel(handle, name)
                    if as_channel
                    else self._group_members(name)
                )
                if found is not None:
                    return found
        except SlackApiError as error:
            response = error.response
            reason = str(response.get("error") if response is not None else error)
            log.warning("role membership unreadable", extra={"handle": handle, "error": reason})
            return None
        if handle not in self._warned:
            self._warned.add(handle)
            log.warning(
                "no channel or user group for a role: invite the bot to it",
                extra={"handle": handle},
            )
        return frozenset()

    async def _members_of_channel(self, handle: str, name: str) -> frozenset[str] | None:
        channel_id = await self._channel_id(name)
        if channel_id is None:
            return None
        self._channel_of[handle] = channel_id
        return await self._channel_members(channel_id)

    async def _group_members(self, name: str) -> frozenset[str] | None:
        group_id = await self._group_id(name)
        if group_id is None:
            return None
        answer = await self.client.usergroups_users_list(usergroup=group_id)
        users: list[object] = answer.get("users") or []
        return frozenset(str(user) for user in users)

    async def _channel_id(self, name: str) -> str | None:
        if name[:1] in ("C", "G") and name.isupper():
            channel = await self.directory.channel(name)
            if channel is not None:
                return channel.id
        channel = await self.directory.find_channel(name)
        return channel.id if channel is not None else None

    async def _channel_members(self, channel_id: str) -> frozenset[str]:
        members: set[str] = set()
        cursor: str | None = None
        while True:
            page = await self.client.conversations_members(
                channel=channel_id, limit=PAGE, cursor=cursor
            )
            found: list[object] = page.get("members") or []
            members.update(str(member) for member in found)
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return frozenset(members)

    async def _group_id(self, name: str) -> str | None:
        if name[:1] == "S" and name.isupper():
            return name
        answer = await self.client.usergroups_list()
        groups: list[dict[str, object]] = answer.get("usergroups") or []
        for group in groups:
            if str(group.get("handle", "")).casefold() == name.casefold():
                return str(group["id"])
        return None
