"""Builders for what Slack sends to an app: Events API callbacks, slash commands,
``block_actions`` and ``view_submission`` payloads."""

from __future__ import annotations

import copy
import re
import time
import uuid
from typing import Any

from .state import Conversation, User, Workspace

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def rich_text_blocks(text: str, block_id: str) -> list[dict[str, Any]]:
    """The ``rich_text`` block Slack clients attach to a typed message."""
    elements: list[dict[str, Any]] = []
    position = 0
    for match in _MENTION.finditer(text):
        if match.start() > position:
            elements.append({"type": "text", "text": text[position : match.start()]})
        elements.append({"type": "user", "user_id": match.group(1)})
        position = match.end()
    if position < len(text):
        elements.append({"type": "text", "text": text[position:]})
    return [
        {
            "type": "rich_text",
            "block_id": block_id,
            "elements": [{"type": "rich_text_section", "elements": elements}],
        }
    ]


def mentions(text: str) -> list[str]:
    return _MENTION.findall(text)


def event_callback(
    ws: Workspace,
    event: dict[str, Any],
    *,
    event_id: str,
    verification_token: str,
    event_time: int | None = None,
) -> dict[str, Any]:
    """The outer Events API envelope (``type: event_callback``)."""
    return {
        "token": verification_token,
        "team_id": ws.team_id,
        "context_team_id": ws.team_id,
        "context_enterprise_id": None,
        "api_app_id": ws.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": ws.team_id,
                "user_id": ws.bot_user.id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }


def team_join_event(user: User, event_ts: str) -> dict[str, Any]:
    return {
        "type": "team_join",
        "user": user.to_api(include_locale=True),
        "cache_ts": int(time.time()),
        "event_ts": event_ts,
    }


def member_joined_channel_event(
    ws: Workspace, user_id: str, conv: Conversation, event_ts: str, inviter: str | None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": conv.id,
        "channel_type": "G" if conv.is_private else "C",
        "team": ws.team_id,
        "event_ts": event_ts,
    }
    if inviter is not None:
        event["inviter"] = inviter
    return event


def user_message(
    ws: Workspace,
    user: User,
    conv: Conversation,
    text: str,
    ts: str,
    *,
    thread_ts: str | None,
    bot: bool,
) -> dict[str, Any]:
    """A message as it appears in ``message`` events and in history."""
    message: dict[str, Any] = {
        "user": user.id,
        "type": "message",
        "ts": ts,
        "text": text,
        "team": ws.team_id,
    }
    if bot:
        message["bot_id"] = user.bot_id
        message["app_id"] = user.app_id
        message["bot_profile"] = {
            "id": user.bot_id,
            "app_id": user.app_id,
            "name": user.name,
            "deleted": False,
            "team_id": ws.team_id,
            "updated": user.updated,
            "icons": {"image_36": "", "image_48": "", "image_72": ""},
        }
        message["blocks"] = []
    else:
        message["client_msg_id"] = str(uuid.uuid4())
        message["blocks"] = rich_text_blocks(text, ws.ids.block_id())
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
        parent = ws.find_message(conv.id, thread_ts)
        if parent is not None and parent.get("user"):
            message["parent_user_id"] = parent["user"]
    return message


def message_event(message: dict[str, Any], conv: Conversation) -> dict[str, Any]:
    event = copy.deepcopy(message)
    event["channel"] = conv.id
    event["event_ts"] = message["ts"]
    event["channel_type"] = conv.channel_type
    return event


def app_mention_event(message: dict[str, Any], conv: Conversation) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": message["user"],
        "text": message["text"],
        "ts": message["ts"],
        "team": message.get("team"),
        "channel": conv.id,
        "event_ts": message["ts"],
    }
    for key in ("client_msg_id", "blocks", "thread_ts", "parent_user_id", "bot_id", "app_id"):
        if key in message:
            event[key] = copy.deepcopy(message[key])
    return event


def slash_command(
    ws: Workspace,
    user: User,
    conv: Conversation,
    command: str,
    text: str,
    *,
    response_url: str,
    trigger_id: str,
    verification_token: str,
) -> dict[str, str]:
    """Slash command fields (form-encoded over HTTP, a flat object over Socket Mode)."""
    return {
        "token": verification_token,
        "team_id": ws.team_id,
        "team_domain": ws.team_domain,
        "channel_id": conv.id,
        "channel_name": "directmessage" if conv.is_im else conv.name,
        "user_id": user.id,
        "user_name": user.name,
        "command": command,
        "text": text,
        "api_app_id": ws.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def _user_ref(ws: Workspace, user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.name, "name": user.name, "team_id": ws.team_id}


def block_actions(
    ws: Workspace,
    user: User,
    conv: Conversation,
    *,
    message: dict[str, Any],
    is_ephemeral: bool,
    action: dict[str, Any],
    response_url: str,
    trigger_id: str,
    verification_token: str,
    sparse: bool = False,
) -> dict[str, Any]:
    """A click on a message's button. ``sparse``: the container as in Slack's documented
    example, naming no message or channel (the payload's ``message`` and ``channel`` do)."""
    container: dict[str, Any] = {"type": "message"}
    if not sparse:
        container.update(message_ts=message["ts"], channel_id=conv.id, is_ephemeral=is_ephemeral)
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user_ref(ws, user),
        "api_app_id": ws.app_id,
        "token": verification_token,
        "container": container,
        "trigger_id": trigger_id,
        "team": {"id": ws.team_id, "domain": ws.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": conv.id, "name": "directmessage" if conv.is_im else conv.name},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [action],
    }
    if not is_ephemeral:
        payload["message"] = message
    return payload


def view_submission(
    ws: Workspace,
    user: User,
    view: dict[str, Any],
    *,
    trigger_id: str,
    verification_token: str,
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": ws.team_id, "domain": ws.team_domain},
        "user": _user_ref(ws, user),
        "api_app_id": ws.app_id,
        "token": verification_token,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def state_value(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """The ``view.state.values[block_id][action_id]`` entry for ``value`` typed by a user."""
    kind = str(element.get("type"))
    entry: dict[str, Any] = {"type": kind}

    def option_for(v: Any) -> dict[str, Any]:
        if isinstance(v, dict):
            return v
        for option in element.get("options", []) or []:
            if option.get("value") == v:
                return dict(option)
        for group in element.get("option_groups", []) or []:
            for option in group.get("options", []):
                if option.get("value") == v:
                    return dict(option)
        return {"text": {"type": "plain_text", "text": str(v), "emoji": True}, "value": str(v)}

    if kind in ("static_select", "external_select", "radio_buttons"):
        entry["selected_option"] = None if value is None else option_for(value)
    elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        entry["selected_options"] = [option_for(v) for v in (value or [])]
    elif kind == "users_select":
        entry["selected_user"] = value
    elif kind == "multi_users_select":
        entry["selected_users"] = list(value or [])
    elif kind == "conversations_select":
        entry["selected_conversation"] = value
    elif kind == "multi_conversations_select":
        entry["selected_conversations"] = list(value or [])
    elif kind == "channels_select":
        entry["selected_channel"] = value
    elif kind == "multi_channels_select":
        entry["selected_channels"] = list(value or [])
    elif kind == "datepicker":
        entry["selected_date"] = value
    elif kind == "timepicker":
        entry["selected_time"] = value
    elif kind == "datetimepicker":
        entry["selected_date_time"] = value
    elif kind == "rich_text_input":
        entry["rich_text_value"] = value
    else:
        entry["value"] = value
    return entry


def is_empty_state(entry: dict[str, Any]) -> bool:
    for key, value in entry.items():
        if key == "type":
            continue
        if value not in (None, "", [], {}):
            return False
    return True
