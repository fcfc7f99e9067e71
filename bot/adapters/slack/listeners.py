"""bolt's listeners: acknowledge at once, then hand the request to the core in the background.

Slack waits 3 seconds for an acknowledgement, and in Socket Mode it never gets one for a
request no listener matched: so every subscribed event has a listener, and none of them
touches the database or the Web API before `ack()`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack.actions import message_action
from bot.adapters.slack.events import InboundEvents

if TYPE_CHECKING:
    from bot.adapters.slack.platform import SlackPlatform

log = logging.getLogger(__name__)
# The events the manifest subscribes to, plus app_mention (delivered with a mention anyway).
EVENTS = (
    "team_join",
    "user_change",
    "member_joined_channel",
    "member_left_channel",
    "message",
    "app_mention",
)
ANY = re.compile(r".*")
ANY_COMMAND = re.compile(r"^/")


def retry_number(request: AsyncBoltRequest) -> int:
    """`X-Slack-Retry-Num` (bolt sets it, "0" included, on Socket Mode events too)."""
    values = request.headers.get("x-slack-retry-num") or ["0"]
    try:
        return max(int(values[0]), 0)
    except (TypeError, ValueError):
        return 0


def register(app: AsyncApp, platform: SlackPlatform, inbound: InboundEvents) -> None:
    def later(work: Callable[[dict[str, Any]], Coroutine[Any, Any, None]], what: str) -> Any:
        async def listener(ack: AsyncAck, body: dict[str, Any]) -> None:
            await ack()
            platform.spawn(work(body), what)

        return listener

    async def on_event(body: dict[str, Any], request: AsyncBoltRequest) -> None:
        # bolt acknowledges events itself before calling this.
        platform.spawn(inbound.event(body, retry_number(request)), "event")

    for kind in EVENTS:
        app.event(kind)(on_event)
    app.command(ANY_COMMAND)(later(inbound.command, "command"))
    app.action(ANY)(later(inbound.action, "action"))
    app.view(ANY)(later(inbound.view, "view_submission"))
    app.message_shortcut(ANY)(later(lambda body: message_action(platform, body), "shortcut"))
