"""Which `message` events are something a member wrote, edited or deleted.

Slack sends `message_changed` for more than edits: an unfurl adding a link's preview, its
language detection, a thread's parent turning into a tombstone when it is deleted while
replies remain. Only an edit carries `edited`, and `previous_message` may be missing.
"""

from __future__ import annotations

from typing import Any

# Message subtypes that are something a member wrote; the others (joins, topic changes,
# deletions, bots) are not.
POSTED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})
TOMBSTONE = "tombstone"


def reaches_core(event: dict[str, Any]) -> bool:
    """A message a member wrote, edited or deleted; not a bot's post, a join, an unfurl."""
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        return bool(event.get("deleted_ts") and event.get("channel"))
    if subtype == "message_changed":
        return tombstoned(event) is not None or is_edit(event)
    return bool(
        event.get("user")
        and event.get("ts")
        and not event.get("bot_id")
        and subtype in POSTED_SUBTYPES
    )


def tombstoned(event: dict[str, Any]) -> str | None:
    """The ts of a thread's parent deleted while replies remain: Slack keeps a tombstone
    in its place and says so with `message_changed`, not `message_deleted`."""
    message = event.get("message") or {}
    if message.get("subtype") != TOMBSTONE or not event.get("channel"):
        return None
    ts = message.get("ts")
    return str(ts) if ts else None


def is_edit(event: dict[str, Any]) -> bool:
    """A member's edit of their message: marked `edited`, and changed from the message
    before when Slack sends that too."""
    message = event.get("message") or {}
    if not message.get("user") or message.get("bot_id"):
        return False
    if message.get("subtype") not in POSTED_SUBTYPES:
        return False
    edited = message.get("edited")
    if not edited:
        return False
    before = event.get("previous_message")
    if not before:
        return True
    return bool(edited != before.get("edited") or message.get("text") != before.get("text"))
