"""Slack's events, commands, clicks and modal submissions as the core's neutral events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.changes import reaches_core, tombstoned
from bot.adapters.slack.forms import form_origin, submitted_values
from bot.adapters.slack.interaction import Origin, SlackInteraction
from bot.adapters.slack.text import incoming
from bot.core.events import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
)
from bot.core.model import Community, MessageRef
from bot.core.platform import EventSink

if TYPE_CHECKING:
    from bot.adapters.slack.platform import SlackPlatform

log = logging.getLogger(__name__)
ROLE_EVENTS = frozenset({"member_joined_channel", "member_left_channel"})


class KeyedLock:
    """One lock per key, gone when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class InboundEvents:
    """Turns what Slack delivers into the core's events and hands them to the dispatcher."""

    def __init__(self, platform: SlackPlatform) -> None:
        self.platform = platform
        self._clicks = KeyedLock()

    @property
    def sink(self) -> EventSink:
        sink = self.platform.sink
        if sink is None:
            raise RuntimeError("the Slack adapter is not started")
        return sink

    # -- Events API ----------------------------------------------------------------

    async def event(self, body: dict[str, Any], retry_num: int = 0) -> None:
        event = body.get("event") or {}
        kind = event.get("type")
        community = self.platform.community_for(body.get("team_id"))
        if kind in ROLE_EVENTS:
            # Memberships changed (a new moderator?): read them again. Never a welcome.
            self.platform.roles.invalidate(str(event.get("channel") or ""))
            self.platform.memberships.invalidate(str(event.get("user") or ""))
        elif kind == "message":
            if reaches_core(event) and await self._first_time(body, retry_num):
                await self._message(community, event)
        elif kind in ("team_join", "user_change"):
            user = self.platform.directory.remember_user(event.get("user") or {})
            if not user.id or user.is_bot or (kind == "user_change" and not user.deleted):
                return  # a profile change: the directory knows it now, the core needs nothing
            if not await self._first_time(body, retry_num):
                return
            member = await self.platform.member_from(user, community.id)
            if kind == "team_join":
                await self.sink.member_joined(MemberJoined(community, member))
            else:
                await self.sink.member_left(MemberLeft(community, member))

    async def _first_time(self, body: dict[str, Any], retry_num: int) -> bool:
        """False for a delivery of an event already handled (Slack's retries)."""
        event_id = str(body.get("event_id") or "")
        if retry_num:
            log.info("Slack retried an event", extra={"event_id": event_id, "retry": retry_num})
        return not event_id or await self.platform.dedupe.first_time(event_id)

    async def _message(self, community: Community, event: dict[str, Any]) -> None:
        if event.get("subtype") == "message_changed":
            parent = tombstoned(event)
            if parent is not None:
                await self._deleted(community, str(event["channel"]), parent)
            else:
                await self._edited(community, event)
            return
        if event.get("subtype") == "message_deleted":
            await self._deleted(community, str(event["channel"]), str(event["deleted_ts"]))
            return
        user_id, channel_id, ts = event.get("user"), event.get("channel"), event.get("ts")
        if not (user_id and channel_id and ts):
            return
        thread_ts = event.get("thread_ts")
        # A thread reply answers the thread's first message: Slack has no other reply.
        parent = str(thread_ts) if thread_ts and thread_ts != ts else None
        await self.sink.message_posted(
            MessagePosted(
                community,
                await self.platform.channel(str(channel_id)),
                await self.platform.member(str(user_id), community.id),
                incoming(str(event.get("text") or "")),
                MessageRef(self.platform.name, community.id, str(channel_id), str(ts)),
                thread_of=parent,
                reply_to=parent,
            )
        )

    async def _deleted(self, community: Community, channel_id: str, ts: str) -> None:
        await self.sink.message_deleted(
            MessageDeleted(
                community,
                await self.platform.channel(channel_id),
                MessageRef(self.platform.name, community.id, channel_id, ts),
            )
        )

    async def _edited(self, community: Community, event: dict[str, Any]) -> None:
        message = event.get("message") or {}
        user_id, channel_id, ts = message.get("user"), event.get("channel"), message.get("ts")
        if not (user_id and channel_id and ts):
            return
        thread_ts = message.get("thread_ts")
        await self.sink.message_edited(
            MessageEdited(
                community,
                await self.platform.channel(str(channel_id)),
                await self.platform.member(str(user_id), community.id),
                incoming(str(message.get("text") or "")),
                MessageRef(self.platform.name, community.id, str(channel_id), str(ts)),
                thread_of=str(thread_ts) if thread_ts and thread_ts != ts else None,
            )
        )

    # -- slash commands ------------------------------------------------------------

    async def command(self, body: dict[str, Any]) -> None:
        community = self.platform.community_for(body.get("team_id"))
        channel_id, user_id = str(body.get("channel_id")), str(body.get("user_id"))
        origin = Origin(
            community.id,
            channel_id,
            user_id,
            trigger_id=body.get("trigger_id"),
            response_url=body.get("response_url"),
        )
        await self.sink.command_invoked(
            CommandInvoked(
                community,
                await self.platform.channel(channel_id, body.get("channel_name")),
                await self.platform.member(user_id, community.id),
                str(body.get("command", "")).lstrip("/"),
                SlackInteraction(self.platform, origin),
                text=incoming(str(body.get("text") or "")),
            )
        )

    # -- buttons -------------------------------------------------------------------

    async def action(self, body: dict[str, Any]) -> None:
        actions = body.get("actions") or []
        container = body.get("container") or {}
        channel_id = container.get("channel_id") or (body.get("channel") or {}).get("id")
        if not actions or not channel_id or actions[0].get("type") != "button":
            return  # a click in a modal or the home tab: no channel to answer in
        action = actions[0]
        custom_id = str(action.get("action_id") or action.get("value") or "")
        community = self.platform.community_for((body.get("team") or {}).get("id"))
        user_id = str((body.get("user") or {}).get("id"))
        # Slack's documented payload promises the `message`, not a container naming it.
        message = body.get("message") or {}
        ts = container.get("message_ts") or message.get("ts")
        thread_ts = container.get("thread_ts") or message.get("thread_ts")
        ephemeral = bool(container.get("is_ephemeral"))
        origin = Origin(
            community.id,
            str(channel_id),
            user_id,
            trigger_id=body.get("trigger_id"),
            response_url=body.get("response_url"),
            message_ts=str(ts) if ts else None,
            ephemeral_message=ephemeral,
            thread_ts=str(thread_ts) if thread_ts else None,
        )
        ref = (
            MessageRef(self.platform.name, community.id, str(channel_id), str(ts))
            if ts and not ephemeral
            else None
        )
        # Clicks on one message one at a time: each live update shows the state after its vote.
        async with self._clicks.hold(f"{channel_id}:{ts}"):
            await self.sink.button_pressed(
                ButtonPressed(
                    community,
                    await self.platform.channel(str(channel_id)),
                    await self.platform.member(user_id, community.id),
                    custom_id,
                    SlackInteraction(self.platform, origin),
                    ref,
                )
            )

    # -- modals --------------------------------------------------------------------

    async def view(self, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        user_id = str((body.get("user") or {}).get("id"))
        opened_from = form_origin(view)
        if opened_from is None:
            log.warning("a modal without its origin channel", extra={"view": view.get("id")})
            return
        channel_id, response_url = opened_from
        community = self.platform.community_for((body.get("team") or {}).get("id"))
        origin = Origin(
            community.id,
            channel_id,
            user_id,
            trigger_id=body.get("trigger_id"),
            response_url=response_url,
        )
        await self.sink.form_submitted(
            FormSubmitted(
                community,
                await self.platform.channel(channel_id),
                await self.platform.member(user_id, community.id),
                str(view.get("callback_id") or ""),
                submitted_values(view),
                SlackInteraction(self.platform, origin),
            )
        )
