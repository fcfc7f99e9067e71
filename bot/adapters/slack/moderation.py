"""Holding a member's message for review and reposting it under its author's name.

A bot token may delete only the bot's own messages (`cant_delete_message`), so a held
message is deleted with an admin's user token (`SLACK_USER_TOKEN`, an `xoxp-` token of a
workspace admin) when there is one; otherwise it stays, and a notice goes in its thread.
A repost carries the author's name and picture (`username`, `icon_url`: the bot needs
`chat:write.customize`); without that scope Slack ignores both, and the repost begins with
the attribution line instead.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import render
from bot.adapters.slack.changes import TOMBSTONE
from bot.adapters.slack.directory import Directory
from bot.adapters.slack.outgoing import NOT_IN, Poster, error_code
from bot.adapters.slack.text import clip
from bot.core.cards import Message
from bot.core.model import HoldOutcome, Member

log = logging.getLogger(__name__)
CUSTOMIZE = "chat:write.customize"
MAX_USERNAME = 80
PERMALINKS_KEPT = 10_000
# The message (or its channel) is gone: nothing to hold.
GONE = frozenset({"message_not_found", "thread_not_found", "channel_not_found"})
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^<>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^<>]*))?>")


def granted_scopes(headers: Mapping[str, Any] | None) -> frozenset[str] | None:
    """The scopes Slack lists in `X-OAuth-Scopes`; None when it does not say."""
    for key, value in (headers or {}).items():
        if str(key).lower() == "x-oauth-scopes":
            raw = value[0] if isinstance(value, list) and value else value
            return frozenset(scope.strip() for scope in str(raw).split(",") if scope.strip())
    return None


class Moderation:
    def __init__(
        self,
        poster: Poster,
        directory: Directory,
        *,
        user_client: AsyncWebClient | None = None,
        scopes: frozenset[str] | None = None,
    ) -> None:
        self.poster = poster
        self.directory = directory
        self.user_client = user_client
        self._permalinks: OrderedDict[tuple[str, str], str] = OrderedDict()
        # None: not known yet; learnt from the first repost's answer.
        self.customize: bool | None = None if scopes is None else CUSTOMIZE in scopes

    # -- hold --------------------------------------------------------------------------

    async def hold(self, channel_id: str, ts: str, notice: Message) -> HoldOutcome:
        try:
            if self.user_client is not None:
                outcome = await self._delete(channel_id, ts)
                if outcome is not None:
                    return outcome
            thread = await self._thread_of(channel_id, ts)
            if thread is None:
                return HoldOutcome.FAILED
            await self.poster.post(channel_id, notice, thread_ts=thread)
            return HoldOutcome.NOTICED
        except Exception:
            log.exception("message not held", extra={"channel": channel_id, "ts": ts})
            return HoldOutcome.FAILED

    async def _delete(self, channel_id: str, ts: str) -> HoldOutcome | None:
        """HIDDEN when the admin's token deleted it, FAILED when it is gone, None when Slack
        refused (the token lacks the right, or was revoked): then a notice will do."""
        assert self.user_client is not None
        try:
            await self.user_client.chat_delete(channel=channel_id, ts=ts)
        except SlackApiError as error:
            code = error_code(error)
            # channel_not_found here means the admin is not in that private channel: the
            # bot may still be, and can leave the notice.
            if code == "message_not_found":
                return HoldOutcome.FAILED
            log.warning(
                "SLACK_USER_TOKEN may not delete the message: a notice in its thread instead",
                extra={"channel": channel_id, "ts": ts, "error": code},
            )
            return None
        return HoldOutcome.HIDDEN

    async def _thread_of(self, channel_id: str, ts: str) -> str | None:
        """The ts of the thread the message is in (its own if it is in none), or None when
        it is gone. A reply's ts is no thread_ts for chat.postMessage: its parent's is."""
        try:
            answer = await self.poster.client.conversations_replies(
                channel=channel_id, ts=ts, limit=1
            )
        except SlackApiError as error:
            if error_code(error) in GONE:
                return None
            raise
        messages = answer.get("messages") or [{}]
        first = messages[0] if isinstance(messages[0], dict) else {}
        if first.get("ts") == ts and first.get("subtype") == TOMBSTONE:
            return None  # deleted; Slack keeps its place for the replies
        return str(first.get("thread_ts") or first.get("ts") or ts)

    # -- repost ------------------------------------------------------------------------

    async def plain_mentions(self, text: str) -> str:
        """`text` with every mention as plain words: `<@U1>` → `@alice`, `<!here>` → `@here`."""
        names: dict[str, str] = {}
        for user_id, label in _USER.findall(text):
            if user_id not in names:
                user = await self.directory.user(user_id)
                names[user_id] = label or (user.display_name or user.name if user else user_id)
        text = _USER.sub(lambda match: "@" + names[match.group(1)].lstrip("@"), text)
        text = _SPECIAL.sub(lambda match: f"@{match.group(1)}", text)
        return _SUBTEAM.sub(lambda match: match.group(1) or "@group", text)

    async def repost(
        self,
        channel_id: str,
        author: Member,
        text: str,
        *,
        attribution: str,
        thread_ts: str | None = None,
    ) -> tuple[str, str]:
        """Post `text` as `author`; return the channel id and the new message's ts."""
        text = await self.plain_mentions(text)
        attributed = f"{attribution}\n{text}"
        if self.customize is False:
            return await self.poster.post(channel_id, Message(attributed), thread_ts=thread_ts)
        username = clip(author.display_name or author.name, MAX_USERNAME)
        arguments: dict[str, Any] = {
            "channel": channel_id,
            "text": render(Message(text)).text,
            "username": username,
            "link_names": False,
        }
        if author.avatar_url:
            arguments["icon_url"] = author.avatar_url
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        client = self.poster.client
        try:
            answer = await client.chat_postMessage(**arguments)
        except SlackApiError as error:
            if error_code(error) not in NOT_IN or not await self.poster.join(channel_id):
                raise
            answer = await client.chat_postMessage(**arguments)
        posted_in, ts = str(answer["channel"]), str(answer["ts"])
        honoured = (answer.get("message") or {}).get("username") == username
        if not honoured:
            # Slack ignored the name (no chat:write.customize): say whose words these are.
            self.customize = False
            log.warning("add the chat:write.customize scope to repost under members' names")
            rendered = render(Message(attributed))
            await client.chat_update(channel=posted_in, ts=ts, text=rendered.text)
        else:
            self.customize = True
        return posted_in, ts

    # -- links -------------------------------------------------------------------------

    async def permalink(self, channel_id: str, ts: str) -> str | None:
        # A message's permalink never changes, and a staff card lists the same messages
        # each time it is drawn again: ask Slack once per message.
        known = self._permalinks.get((channel_id, ts))
        if known is not None:
            self._permalinks.move_to_end((channel_id, ts))
            return known
        try:
            answer = await self.poster.client.chat_getPermalink(channel=channel_id, message_ts=ts)
        except SlackApiError as error:
            log.info("no permalink", extra={"channel": channel_id, "error": error_code(error)})
            return None
        link = answer.get("permalink")
        if not link:
            return None
        self._permalinks[(channel_id, ts)] = str(link)
        if len(self._permalinks) > PERMALINKS_KEPT:
            self._permalinks.popitem(last=False)
        return str(link)
