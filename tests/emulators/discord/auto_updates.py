"""What Discord changes in a message by itself: a link's preview, a pin. Each change comes
as a MESSAGE_UPDATE with `edited_timestamp` as it was (null for a message never edited),
which is how a client tells it from an edit of the text.

Discord adds a preview a moment after the message, once it has fetched the page; the
emulator adds it at once, right after MESSAGE_CREATE, so that tests need not wait for it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from .constants import MessageFlag
from .messages import MAX_EMBEDS
from .models import iso_now
from .payloads import Payloads

JSON = dict[str, Any]
# A link written as <https://…> asks for no preview.
LINK = re.compile(r"(?<![<\w])https?://[^\s<>]+")
PREVIEW_TYPES = frozenset({"link", "article", "video", "image", "gifv"})
NO_PREVIEW = int(MessageFlag.SUPPRESS_EMBEDS | MessageFlag.EPHEMERAL)


def link_previews(content: str) -> list[JSON]:
    """The embeds Discord would draw for the links of `content`, one per distinct link."""
    links = dict.fromkeys(match.rstrip(".,;:!?)'\"") for match in LINK.findall(content))
    return [
        {"type": "link", "url": link, "title": urlsplit(link).netloc}
        for link in links
        if urlsplit(link).netloc
    ]


def unfurl(state: Payloads, msg: JSON) -> None:
    """Put the previews of the message's links in place of those it had: MESSAGE_UPDATE
    when that changes its embeds."""
    if msg["flags"] & NO_PREVIEW:
        return
    own = [embed for embed in msg["embeds"] if embed.get("type") not in PREVIEW_TYPES]
    embeds = (own + link_previews(msg["content"]))[:MAX_EMBEDS]
    if embeds == msg["embeds"]:
        return
    msg["embeds"] = embeds
    state.emit("MESSAGE_UPDATE", state.gateway_message(msg), msg.get("guild_id"))
    state.on_change()


def set_pinned(state: Payloads, msg: JSON, pinned: bool) -> None:
    """Pin or unpin: MESSAGE_UPDATE with `pinned` changed, then CHANNEL_PINS_UPDATE."""
    changed = msg["pinned"] != pinned
    msg["pinned"] = pinned
    if changed and not msg["flags"] & MessageFlag.EPHEMERAL:
        state.emit("MESSAGE_UPDATE", state.gateway_message(msg), msg.get("guild_id"))
    channel = state.channel(msg["channel_id"])
    channel.last_pin_timestamp = iso_now() if pinned else channel.last_pin_timestamp
    payload: JSON = {"channel_id": channel.id, "last_pin_timestamp": channel.last_pin_timestamp}
    if channel.guild_id:
        payload["guild_id"] = channel.guild_id
    state.emit("CHANNEL_PINS_UPDATE", payload, channel.guild_id)
    state.on_change()
