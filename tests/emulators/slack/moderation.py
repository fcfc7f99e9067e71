"""Deleting and editing members' messages, and who is in which channel.

``chat.delete`` with a bot token deletes only the bot's own messages
(``cant_delete_message`` otherwise); with a user token (``xoxp-``) it deletes what that
user may delete in Slack: their own messages, anyone's for an admin or owner. Every
deletion or edit in a conversation the bot is in reaches the app as a ``message`` event
with subtype ``message_deleted`` or ``message_changed``, shaped as Slack documents them.
A thread's parent deleted while replies remain becomes a tombstone ("This message was
deleted."), announced with ``message_changed``; the tombstone goes with the last reply.
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
    conv: Conversation,
    message: dict[str, Any],
    previous: dict[str, Any],
    event_ts: str,
    *,
    sparse: bool = False,
) -> dict[str, Any]:
    """``sparse``: as Slack's documented example, without ``previous_message``."""
    event: dict[str, Any] = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": conv.id,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": conv.channel_type,
        "message": copy.deepcopy(message),
    }
    if not sparse:
        event["previous_message"] = copy.deepcopy(previous)
    return event


def tombstone(parent: dict[str, Any], replies: list[dict[str, Any]]) -> dict[str, Any]:
    """What Slack keeps in place of a deleted thread parent that still has replies."""
    users = list(dict.fromkeys(str(r["user"]) for r in replies if r.get("user")))
    return {
        "type": "message",
        "subtype": "tombstone",
        "text": "This message was deleted.",
        "user": "USLACKBOT",
        "hidden": True,
        "ts": parent["ts"],
        "thread_ts": parent["ts"],
        "parent_user_id": "USLACKBOT",
        "reply_count": len(replies),
        "reply_users_count": len(users),
        "latest_reply": replies[-1]["ts"],
        "reply_users": users,
        "is_locked": False,
        "subscribed": False,
    }


def _replies(emu: SlackEmulator, conv: Conversation, ts: str) -> list[dict[str, Any]]:
    return [
        m
        for m in emu.workspace.messages.get(conv.id, [])
        if m.get("thread_ts") == ts and m.get("ts") != ts
    ]


def _tell_app(emu: SlackEmulator, conv: Conversation, event: dict[str, Any], own: bool) -> None:
    """The app hears what happens where its bot is; of its own messages only when echoing."""
    if emu.workspace.bot_user.id in conv.members and (emu.echo_own_events or not own):
        emu._spawn(emu._emit_event(event))


def removed(emu: SlackEmulator, conv: Conversation, ts: str) -> dict[str, Any] | None:
    """Take message `ts` out of `conv` and tell the app. A thread's parent with replies
    leaves a tombstone, which goes when its last reply does."""
    ws = emu.workspace
    message = ws.find_message(conv.id, ts)
    if message is None:
        return None
    own = message.get("bot_id") == ws.bot_id
    replies = _replies(emu, conv, ts)
    if replies and message.get("subtype") != "tombstone":
        gone = copy.deepcopy(message)
        message.clear()
        message.update(tombstone(gone, replies))
        event = message_changed_event(
            conv, message, gone, ws.clock.next(), sparse=emu.sparse("message_changed")
        )
        _tell_app(emu, conv, event, own)
        emu._notify()
        return gone
    gone = ws.remove_message(conv.id, ts)
    assert gone is not None
    _tell_app(emu, conv, message_deleted_event(conv, gone, ws.clock.next()), own)
    parent = ws.find_message(conv.id, str(gone.get("thread_ts") or ""))
    lone = parent is not None and not _replies(emu, conv, parent["ts"])
    if parent is not None and lone and parent.get("subtype") == "tombstone":
        removed(emu, conv, parent["ts"])
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
        sparse = emu.sparse("message_changed")
        await emu._emit_event(
            message_changed_event(conv, message, previous, ws.clock.next(), sparse=sparse)
        )
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
        if message is None or ts is None or message.get("subtype") == "tombstone":
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
