"""Everything the bot writes to Slack: posts, ephemeral answers, DMs, edits, files, modals."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import Rendered, render
from bot.adapters.slack.client import retry_after
from bot.adapters.slack.text import live_ping
from bot.core.cards import Image, Message
from bot.core.errors import InteractionExpired
from bot.core.model import Attachment
from bot.core.ratelimit import RateLimited

log = logging.getLogger(__name__)
# DMs closed or impossible (a deactivated account, one the bot may not see, an external
# member of a Slack Connect channel): the welcome goes on without one.
NO_DM = frozenset(
    {
        "cannot_dm_bot",
        "user_disabled",
        "user_not_found",
        "not_allowed_token_type",
        "user_not_visible",
        "invalid_user_combination",
    }
)
# The bot is not in the channel: it may join a public one and try again.
NOT_IN = frozenset({"not_in_channel"})
# An ephemeral answer that chat.postEphemeral cannot deliver: the response_url can.
EPHEMERAL_FALLBACK = frozenset({"not_in_channel", "channel_not_found", "user_not_in_channel"})


def pinging(rendered: Rendered, ping: str | None) -> Rendered:
    """The role mention that opens the message made live, in `text` and its first block."""
    if ping is None:
        return rendered
    blocks = [dict(block) for block in rendered.blocks]
    if blocks and isinstance(blocks[0].get("text"), dict):
        first = dict(blocks[0]["text"])
        first["text"] = live_ping(str(first.get("text", "")), ping)
        blocks[0]["text"] = first
    return Rendered(live_ping(rendered.text, ping), blocks)


def error_code(error: SlackApiError) -> str:
    response = error.response
    return str(response.get("error") if response is not None else error)


class Poster:
    def __init__(self, client: AsyncWebClient, session: aiohttp.ClientSession) -> None:
        self.client = client
        self.session = session

    async def post(
        self,
        channel_id: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        ping: str | None = None,
    ) -> tuple[str, str]:
        """Post to a channel (joining it first if it is public and the bot is not in it);
        return the channel id and the message's ts."""
        rendered = pinging(render(message), ping)
        arguments: dict[str, Any] = {"channel": channel_id, "text": rendered.text}
        if rendered.blocks:
            arguments["blocks"] = rendered.blocks
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            answer = await self.client.chat_postMessage(**arguments)
        except SlackApiError as error:
            if error_code(error) not in NOT_IN or not await self.join(channel_id):
                raise
            answer = await self.client.chat_postMessage(**arguments)
        posted_channel, ts = str(answer["channel"]), str(answer["ts"])
        image = message.card.image if message.card else None
        if image is not None:
            await self.upload(posted_channel, image, thread_ts=thread_ts)
        for attachment in message.files:
            await self.upload_file(posted_channel, attachment, thread_ts=thread_ts)
        return posted_channel, ts

    async def join(self, channel_id: str) -> bool:
        """Join a public channel the bot is not in; False (logged) where it may not."""
        try:
            await self.client.conversations_join(channel=channel_id)
        except SlackApiError as error:
            log.warning(
                "cannot join the channel: invite the bot to it",
                extra={"channel": channel_id, "error": error_code(error)},
            )
            return False
        return True

    async def upload(self, channel_id: str, image: Image, *, thread_ts: str | None = None) -> None:
        """A card's picture, shared in the channel right under the card."""
        arguments: dict[str, Any] = {
            "channel": channel_id,
            "file": image.data,
            "filename": image.filename,
            "title": image.description or image.filename,
        }
        if image.description:
            arguments["alt_txt"] = image.description[:1000]
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            await self.client.files_upload_v2(**arguments)
        except SlackApiError as error:
            log.warning("picture not uploaded", extra={"error": error_code(error)})

    async def upload_file(
        self, channel_id: str, attachment: Attachment, *, thread_ts: str | None = None
    ) -> None:
        """A file sent with a message (a CSV export), shared right after it."""
        arguments: dict[str, Any] = {
            "channel": channel_id,
            "file": attachment.data,
            "filename": attachment.filename,
            "title": attachment.filename,
        }
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            await self.client.files_upload_v2(**arguments)
        except SlackApiError as error:
            log.warning(
                "file not uploaded",
                extra={"file": attachment.filename, "error": error_code(error)},
            )

    async def dm(self, user_id: str, message: Message) -> tuple[str, str] | None:
        try:
            opened = await self.client.conversations_open(users=user_id)
        except SlackApiError as error:
            if error_code(error) in NO_DM:
                log.info("no DM possible", extra={"member": user_id, "error": error_code(error)})
                return None
            raise
        return await self.post(str(opened["channel"]["id"]), message)

    async def ephemeral(
        self,
        channel_id: str,
        user_id: str,
        message: Message,
        *,
        response_url: str | None = None,
        thread_ts: str | None = None,
    ) -> None:
        """Only `user_id` sees it. Where the bot cannot post (a channel it is not in), the
        command's or click's response_url can still answer."""
        rendered = render(message)
        arguments: dict[str, Any] = {"channel": channel_id, "user": user_id, "text": rendered.text}
        if rendered.blocks:
            arguments["blocks"] = rendered.blocks
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            await self.client.chat_postEphemeral(**arguments)
        except SlackApiError as error:
            if response_url is None or error_code(error) not in EPHEMERAL_FALLBACK:
                raise
            await self.respond(response_url, message, response_type="ephemeral")

    async def respond(
        self,
        response_url: str,
        message: Message,
        *,
        response_type: str | None = None,
        replace_original: bool = False,
    ) -> None:
        rendered = render(message)
        webhook = AsyncWebhookClient(response_url, session=self.session)
        answer = await webhook.send(
            text=rendered.text,
            blocks=rendered.blocks or None,
            response_type=response_type,
            replace_original=replace_original or None,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"response_url answered {answer.status_code}: {answer.body}")

    async def update(
        self, channel_id: str, ts: str, message: Message, *, ping: str | None = None
    ) -> None:
        rendered = pinging(render(message), ping)
        # `blocks` always: chat.update with only `text` would keep the old blocks.
        await self.client.chat_update(
            channel=channel_id, ts=ts, text=rendered.text, blocks=rendered.blocks
        )

    async def delete(self, channel_id: str, ts: str) -> None:
        await self.client.chat_delete(channel=channel_id, ts=ts)

    async def invite(self, channel_id: str, user_id: str, *, public: bool) -> bool:
        """Put a member in a channel: Slack's way of giving a starting role."""
        for attempt in range(2):
            try:
                await self.client.conversations_invite(channel=channel_id, users=user_id)
                return True
            except SlackApiError as error:
                code = error_code(error)
                if code == "already_in_channel":
                    return True
                if code in NOT_IN and public and not attempt and await self.join(channel_id):
                    continue
                log.warning(
                    "member not added to the role's channel",
                    extra={"channel": channel_id, "member": user_id, "error": code},
                )
                return False
        return False

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as error:
            code = error_code(error)
            # A trigger lives 3 seconds: a form opened later has nobody waiting for it.
            if code == "expired_trigger_id":
                raise InteractionExpired(code) from error
            # Not retried (the trigger would expire meanwhile): the member may try again.
            if code == "ratelimited":
                raise RateLimited("errors.rate_limited", seconds=retry_after(error)) from error
            raise
