"""Deleting and editing members' messages, and who is in which channel.

``chat.delete`` with a bot token deletes only the bot's own messages
(``cant_delete_message`` otherwise); with a user token (``xoxp-``) it deletes what that
user may delete in Slack: their own messages, anyone's for an admin or owner. Every
deletion or edit in a conversation the bot is in reaches the app as a ``message`` event
with subtype ``message_deleted`` or ``message_changed``, shaped as Slack documents them.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .state import Conversation

if TYPE_CHECKING:
    from .emulator import SlackEmulator
    from .web_api import CallContext, Handler, WebApi

CONVERSATION_TYPES = {
    "public_channel": "channels:read",
    "private_channel": "groups:read",
    "mpim": "mpim:read",
    "im": "im:read",
}


def message_deleted_event(
    conv: Conversation, previous: dict[str, Any], event_ts: str
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": conv.id,
        "ts": event_ts,
        "deleted_ts": previous["ts"],
        "event_ts": event_ts,
        "channel_type": conv.channel_type,
        "previous_message": copy.deepcopy(previous),
    }
    if previous.get("thread_ts"):
        event["thread_ts"] = previous["thread_ts"]
    return event


def message_changed_event(
    conv: Conversation, message: dict[str, Any], previous: dict[str, Any], event_ts: str
) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": conv.id,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": conv.channel_type,
        "message": copy.deepcopy(message),
        "previous_message": copy.deepcopy(previous),
    }


def _tell_app(emu: SlackEmulator, conv: Conversation, event: dict[str, Any], own: bool) -> None:
    """The app hears what happens where its bot is; of its own messages only when echoing."""
    if emu.workspace.bot_user.id in conv.members and (emu.echo_own_events or not own):
        emu._spawn(emu._emit_event(event))


def removed(emu: SlackEmulator, conv: Conversation, ts: str) -> dict[str, Any] | None:
    """Take message `ts` out of `conv` (its thread replies stay, as in Slack) and tell the app."""
    ws = emu.workspace
    gone = ws.remove_message(conv.id, ts)
    if gone is None:
        return None
    own = gone.get("bot_id") == ws.bot_id
    _tell_app(emu, conv, message_deleted_event(conv, gone, ws.clock.next()), own)
    emu._notify()
    return gone


async def edit_message(emu: SlackEmulator, user_id: str, channel: str, ts: str, text: str) -> None:
    """A member edits their message: ``message_changed`` (thread replies keep ``thread_ts``)."""
    ws = emu.workspace
    conv = emu._conv(channel)
    message = ws.find_message(conv.id, ts)
    if message is None or message.get("user") != user_id:
        raise ValueError(f"{user_id} has no message {ts} in {conv.name}")
    previous = copy.deepcopy(message)
    message["text"] = text
    message["edited"] = {"user": user_id, "ts": ws.clock.next()}
    if ws.bot_user.id in conv.members:
        await emu._emit_event(message_changed_event(conv, message, previous, ws.clock.next()))
    emu._notify()


async def delete_message(emu: SlackEmulator, user_id: str, channel: str, ts: str) -> None:
    """A member deletes their own message from Slack's menu."""
    conv = emu._conv(channel)
    message = emu.workspace.find_message(conv.id, ts)
    if message is None or message.get("user") != user_id:
        raise ValueError(f"{user_id} has no message {ts} in {conv.name}")
    removed(emu, conv, ts)


def moderation_handlers(api: WebApi) -> dict[str, Handler]:
    from .web_api import ApiError, _flag, _str

    emu, ws = api.emu, api.ws

    def chat_delete(ctx: CallContext) -> dict[str, Any]:
        actor = emu.user_tokens.get(ctx.token, ws.bot_user.id)
        conv = ws.resolve(_str(ctx.params, "channel") or "")
        if conv is None or not ws.can_see(actor, conv):
            raise ApiError("channel_not_found")
        ts = _str(ctx.params, "ts")
        message = ws.find_message(conv.id, ts) if ts else None
        if message is None or ts is None:
            raise ApiError("message_not_found")
        if ctx.token_kind == "user":
            user = ws.users[actor]
            allowed = message.get("user") == actor or user.is_admin or user.is_owner
        else:
            allowed = api._is_own(message)
        if not allowed:
            raise ApiError("cant_delete_message")
        removed(emu, conv, ts)
        return {"channel": conv.id, "ts": ts}

    def users_conversations(ctx: CallContext) -> dict[str, Any]:
        params = ctx.params
        caller = emu.user_tokens.get(ctx.token, ws.bot_user.id)
        user_id = _str(params, "user") or caller
        if user_id not in ws.users:
            raise ApiError("user_not_found")
        types = {t.strip() for t in (_str(params, "types") or "public_channel").split(",")}
        if not types <= set(CONVERSATION_TYPES):
            raise ApiError("invalid_types")
        if ctx.token_kind == "bot":
            for kind in sorted(types):
                api._require_scope(CONVERSATION_TYPES[kind])
        found: list[Conversation] = []
        for conv in ws.conversations.values():
            if user_id not in conv.members or (
                _flag(params, "exclude_archived") and conv.is_archived
            ):
                continue
            kind = (
                "im"
                if conv.is_im
                else "mpim"
                if conv.is_mpim
                else "private_channel"
                if conv.is_private
                else "public_channel"
            )
            # Non-public conversations only where the caller is a member too (Slack's rule).
            if kind in types and (kind == "public_channel" or caller in conv.members):
                found.append(conv)
        page, next_cursor = api._page(found, params, 100)
        return {
            "channels": [conv.to_api(caller) for conv in page],
            "response_metadata": {"next_cursor": next_cursor},
        }

    return {"chat.delete": chat_delete, "users.conversations": users_conversations}
