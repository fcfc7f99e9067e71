"""Who and where: the workspace's users and conversations, looked up and kept a short time."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
SLACKBOT = "USLACKBOT"
USER_TTL = 300.0
LIST_TTL = 300.0
REFRESH_AFTER = 10.0  # a name not found in an older list: ask Slack again
PAGE = 200


@dataclass(frozen=True, slots=True)
class SlackUser:
    id: str
    name: str
    display_name: str
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False
    avatar_url: str | None = None
    locale: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> SlackUser:
        profile = data.get("profile") or {}
        user_id = str(data.get("id", ""))
        return cls(
            id=user_id,
            name=str(data.get("name") or user_id),
            display_name=str(
                profile.get("display_name")
                or profile.get("real_name")
                or data.get("real_name")
                or ""
            ),
            is_admin=bool(data.get("is_admin") or data.get("is_owner")),
            is_bot=bool(data.get("is_bot") or data.get("is_app_user")) or user_id == SLACKBOT,
            deleted=bool(data.get("deleted")),
            avatar_url=profile.get("image_72") or None,
            locale=data.get("locale") or None,
        )

    def answers_to(self, name: str) -> bool:
        wanted = name.casefold()
        return wanted in (self.name.casefold(), self.display_name.casefold())


@dataclass(frozen=True, slots=True)
class SlackChannel:
    id: str
    name: str
    is_private: bool = False
    is_dm: bool = False
    is_general: bool = False

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> SlackChannel:
        channel_id = str(data.get("id", ""))
        is_dm = bool(data.get("is_im"))
        return cls(
            id=channel_id,
            name=str(data.get("user") if is_dm else data.get("name") or channel_id),
            is_private=bool(data.get("is_private")) or is_dm,
            is_dm=is_dm,
            is_general=bool(data.get("is_general")),
        )


class Directory:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._users: dict[str, tuple[SlackUser, float]] = {}
        self._all_users: dict[str, SlackUser] | None = None
        self._users_loaded = 0.0
        # One listing at a time: joins arriving together wait for it instead of each
        # paging through the whole workspace.
        self._listing_users = asyncio.Lock()
        self._channels: dict[str, SlackChannel] | None = None
        self._channels_loaded = 0.0
        self._channel_info: dict[str, tuple[SlackChannel, float]] = {}

    # -- users -----------------------------------------------------------------

    def remember_user(self, data: dict[str, Any]) -> SlackUser:
        """A user object Slack sent in an event (team_join, user_change): no call needed."""
        user = SlackUser.from_api(data)
        self._users[user.id] = (user, time.monotonic() + USER_TTL)
        if self._all_users is not None:
            self._all_users[user.id] = user
        return user

    async def user(self, user_id: str) -> SlackUser | None:
        cached = self._users.get(user_id)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        listed = self._fresh_users()
        if listed is not None and user_id in listed:
            return listed[user_id]
        try:
            answer = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as error:
            log.warning("users.info failed", extra={"user": user_id, "error": _error(error)})
            if cached is not None:
                return cached[0]
            return self._all_users.get(user_id) if self._all_users is not None else None
        return self.remember_user(answer["user"])

    async def users(self) -> dict[str, SlackUser]:
        """Everyone in the workspace (users.list, every page), kept for a few minutes.

        Raises SlackApiError when Slack cannot list them and nothing is known yet."""
        if (known := self._fresh_users()) is not None:
            return known
        async with self._listing_users:
            if (known := self._fresh_users()) is not None:
                return known  # listed while this call waited
            return await self._list_users()

    def _fresh_users(self) -> dict[str, SlackUser] | None:
        if self._all_users is not None and time.monotonic() - self._users_loaded < LIST_TTL:
            return self._all_users
        return None

    async def _list_users(self) -> dict[str, SlackUser]:
        now = time.monotonic()
        found: dict[str, SlackUser] = {}
        try:
            async for page in self._pages("users_list"):
                for data in page.get("members", []):
                    user = SlackUser.from_api(data)
                    found[user.id] = user
        except SlackApiError as error:
            log.warning("users.list failed", extra={"error": _error(error)})
            if self._all_users is None:
                raise
            return self._all_users
        # The listing answers `user` while it is fresh: its users are not kept twice.
        self._all_users, self._users_loaded = found, now
        return found

    async def find_user(self, name: str) -> SlackUser | None:
        if not name:
            return None
        for attempt in range(2):
            try:
                everyone = await self.users()
            except SlackApiError:
                return None
            match = next(
                (user for user in everyone.values() if user.answers_to(name) and not user.deleted),
                None,
            )
            if (
                match is not None
                or attempt
                or time.monotonic() - self._users_loaded < REFRESH_AFTER
            ):
                return match
            self._all_users = None
        return None

    async def member_count(self) -> int | None:
        """People, not bots nor deactivated accounts; None when Slack cannot say."""
        try:
            everyone = await self.users()
        except SlackApiError:
            return None
        return sum(1 for user in everyone.values() if not user.is_bot and not user.deleted)

    # -- conversations -----------------------------------------------------------

    async def channel(self, channel_id: str) -> SlackChannel | None:
        cached = self._channel_info.get(channel_id)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        try:
            answer = await self.client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            log.info(
                "conversations.info failed", extra={"channel": channel_id, "error": _error(error)}
            )
            return cached[0] if cached else None
        channel = SlackChannel.from_api(answer["channel"])
        self._channel_info[channel_id] = (channel, time.monotonic() + USER_TTL)
        return channel

    async def channels(self) -> dict[str, SlackChannel]:
        """Public channels, and the private ones the bot is in, by name."""
        now = time.monotonic()
        if self._channels is not None and now - self._channels_loaded < LIST_TTL:
            return self._channels
        found: dict[str, SlackChannel] = {}
        try:
            async for page in self._pages(
                "conversations_list", types="public_channel,private_channel", exclude_archived=True
            ):
                for data in page.get("channels", []):
                    channel = SlackChannel.from_api(data)
                    found[channel.name.casefold()] = channel
        except SlackApiError as error:
            log.warning("conversations.list failed", extra={"error": _error(error)})
            return self._channels or {}
        self._channels, self._channels_loaded = found, now
        return found

    async def find_channel(self, name: str) -> SlackChannel | None:
        wanted = name.strip().lstrip("#").casefold()
        if not wanted:
            return None
        for attempt in range(2):
            channel = (await self.channels()).get(wanted)
            if channel is not None or attempt:
                return channel
            if time.monotonic() - self._channels_loaded < REFRESH_AFTER:
                return None
            self._channels = None
        return None

    async def general(self) -> SlackChannel | None:
        return next(
            (channel for channel in (await self.channels()).values() if channel.is_general), None
        )

    def forget_channels(self) -> None:
        self._channels = None

    # -- plumbing ----------------------------------------------------------------

    async def _pages(self, method: str, **arguments: Any) -> AsyncIterator[dict[str, Any]]:
        cursor: str | None = None
        call = getattr(self.client, method)
        while True:
            page = await call(limit=PAGE, cursor=cursor, **arguments)
            yield page.data if isinstance(page.data, dict) else {}
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return


def _error(error: SlackApiError) -> str:
    response = error.response
    return str(response.get("error") if response is not None else error)
