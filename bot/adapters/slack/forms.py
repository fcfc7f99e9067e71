"""Forms as Slack modals, and what a member typed in one back as plain values."""

from __future__ import annotations

import json
from typing import Any

from bot.adapters.slack.blocks import plain
from bot.core.cards import Form, FormField

MAX_TITLE = 24
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_INPUT = 3000
MAX_CALLBACK_ID = 255
MAX_INPUTS = 100
MAX_METADATA = 3000
_COMPACT = (",", ":")


def form_view(
    form: Form, submit_label: str, channel_id: str, response_url: str | None = None
) -> dict[str, Any]:
    """A modal with one text input per field; where it was opened from rides in
    `private_metadata`."""
    return {
        "type": "modal",
        "callback_id": form.custom_id[:MAX_CALLBACK_ID],
        "title": plain(form.title, MAX_TITLE),
        "submit": plain(submit_label, MAX_TITLE),
        "private_metadata": origin_metadata(channel_id, response_url),
        "blocks": [_input(item) for item in form.fields[:MAX_INPUTS]],
    }


def origin_metadata(channel_id: str, response_url: str | None) -> str:
    """The channel, and the response_url that answers where the bot may not post (a
    shortcut in a channel it is not in), as long as both fit Slack's 3,000 characters."""
    if response_url:
        both = json.dumps(
            {"channel": channel_id, "response_url": response_url}, separators=_COMPACT
        )
        if len(both) <= MAX_METADATA:
            return both
    return json.dumps({"channel": channel_id}, separators=_COMPACT)


def _input(item: FormField) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": item.name,
        "multiline": item.multiline,
        "max_length": max(1, min(item.max_length, MAX_INPUT)),
    }
    if item.placeholder:
        element["placeholder"] = plain(item.placeholder, MAX_PLACEHOLDER)
    return {
        "type": "input",
        "block_id": item.name,
        "optional": not item.required,
        "label": plain(item.label, MAX_LABEL),
        "element": element,
    }


def form_origin(view: dict[str, Any]) -> tuple[str, str | None] | None:
    """The channel the form was opened from and its response_url, as `form_view` wrote
    them; None without a channel."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return None
    if not isinstance(metadata, dict):
        return None
    channel, response_url = metadata.get("channel"), metadata.get("response_url")
    if not isinstance(channel, str) or not channel:
        return None
    return channel, response_url if isinstance(response_url, str) and response_url else None


def submitted_values(view: dict[str, Any]) -> dict[str, str]:
    """`{field name: text}` from a view_submission's `state.values` (empty inputs: "")."""
    values: dict[str, str] = {}
    state = view.get("state", {}).get("values", {})
    if not isinstance(state, dict):
        return values
    for actions in state.values():
        if not isinstance(actions, dict):
            continue
        for action_id, entry in actions.items():
            value = entry.get("value") if isinstance(entry, dict) else None
            values[str(action_id)] = value if isinstance(value, str) else ""
    return values
