"""Which channels a member is in: on Slack a "role" is a channel (as the welcome's
starting role is), so a cog that asks for a member's roles gets the names (casefolded) and
ids of the channels the bot can see them in.

`users.conversations` with `user=` lists the public channels the member is in and the
private ones the bot shares with them. Kept briefly, and forgotten for a member as soon as
Slack says they joined or left a channel.
"""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.outgoing import error_code

log = logging.getLogger(__name__)
MEMBERSHIP_TTL = 60.0
PAGE = 200


class Memberships:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._known: dict[str, tuple[frozenset[str], float]] = {}

    def invalidate(self, user_id: str = "") -> None:
        if user_id:
            self._known.pop(user_id, None)
        else:
            self._known.clear()

    async def of(self, user_id: str) -> frozenset[str] | None:
        """Names and ids of the member's channels; None when Slack cannot say."""
        cached = self._known.get(user_id)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        found: set[str] = set()
        cursor: str | None = None
        try:
            while True:
                page = await self.client.users_conversations(
                    user=user_id,
                    types="public_channel,private_channel",
                    exclude_archived=True,
                    limit=PAGE,
                    cursor=cursor,
                )
                channels: list[dict[str, object]] = page.get("channels") or []
                for channel in channels:
                    found.add(str(channel.get("id")))
                    if channel.get("name"):
                        found.add(str(channel["name"]).casefold())
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except SlackApiError as error:
            log.warning(
                "a member's channels are unreadable",
                extra={"member": user_id, "error": error_code(error)},
            )
            return cached[0] if cached else None
        roles = frozenset(found)
        self._known[user_id] = (roles, time.monotonic() + MEMBERSHIP_TTL)
        return roles
