"""Message actions as Slack message shortcuts: one entry in a message's ⋯ menu per action.

The manifest declares each action (`features.shortcuts`, type `message`, the action's name
as `callback_id`); Slack sends a `message_action` payload with the message itself, a
`trigger_id` (a form opens as a modal) and a `response_url` (private answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.interaction import Origin, SlackInteraction
from bot.adapters.slack.text import clip, incoming
from bot.core.commands import MessageAction
from bot.core.events import MessageActionInvoked
from bot.core.i18n import Translator
from bot.core.model import MessageRef, PostedMessage

if TYPE_CHECKING:
    from bot.adapters.slack.platform import SlackPlatform

MAX_SHORTCUT_NAME = 24  # Slack's limit for a shortcut's name in the menu
MAX_SHORTCUT_DESCRIPTION = 150
MAX_CALLBACK_ID = 255


def shortcuts(
    actions: Sequence[MessageAction], translator: Translator, language: str
) -> list[dict[str, Any]]:
    """The manifest's `features.shortcuts`, named in the community's default language."""
    entries: list[dict[str, Any]] = []
    for action in sorted(actions, key=lambda item: item.name):
        label = translator.gettext(language, action.label)
        entries.append(
            {
                "name": clip(label, MAX_SHORTCUT_NAME),
                "type": "message",
                "callback_id": action.name[:MAX_CALLBACK_ID],
                "description": clip(
                    translator.gettext(language, "slack.shortcut.description", action=label),
                    MAX_SHORTCUT_DESCRIPTION,
                ),
            }
        )
    return entries


async def message_action(platform: SlackPlatform, body: dict[str, Any]) -> None:
    """A `message_action` payload as the core's MessageActionInvoked."""
    message = body.get("message") or {}
    channel_id = str((body.get("channel") or {}).get("id") or "")
    ts = str(body.get("message_ts") or message.get("ts") or "")
    user_id = str((body.get("user") or {}).get("id") or "")
    if not (channel_id and ts and user_id):
        return
    community = platform.community_for((body.get("team") or {}).get("id"))
    author_id = str(message.get("user") or message.get("bot_id") or "")
    thread_ts = message.get("thread_ts")
    origin = Origin(
        community.id,
        channel_id,
        user_id,
        trigger_id=body.get("trigger_id"),
        response_url=body.get("response_url"),
        thread_ts=str(thread_ts) if thread_ts else None,
    )
    target = PostedMessage(
        MessageRef(platform.name, community.id, channel_id, ts),
        await platform.member(author_id, community.id),
        incoming(str(message.get("text") or "")),
    )
    await platform.inbound.sink.message_action(
        MessageActionInvoked(
            community,
            await platform.channel(channel_id, (body.get("channel") or {}).get("name")),
            await platform.member(user_id, community.id),
            str(body.get("callback_id") or ""),
            target,
            SlackInteraction(platform, origin),
        )
    )
