"""Link previews: Slack unfurls the links of a member's message a moment after it is posted.

The preview is added to the message as ``attachments`` and announced with a
``message_changed`` event whose message has no ``edited``: the member changed nothing.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from .moderation import message_changed_event

if TYPE_CHECKING:
    from .emulator import SlackEmulator
    from .state import Conversation

# Slack unfurls at most this many links of one message.
MAX_UNFURLS = 5
_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>|(?<![<|])\b(https?://[^\s<>|]+)")


def links(text: str) -> list[str]:
    """The links of a message's text, as Slack's client sends them (``<url>``) or bare."""
    found = [marked or bare for marked, bare in _LINK.findall(text)]
    return list(dict.fromkeys(found))[:MAX_UNFURLS]


def preview(url: str, index: int) -> dict[str, Any]:
    """The attachment Slack adds for a link it unfurls."""
    host = urlparse(url).hostname or url
    return {
        "id": index,
        "from_url": url,
        "original_url": url,
        "fallback": f"{host}: {host}",
        "title": host,
        "title_link": url,
        "text": f"A page on {host}",
        "service_name": host,
    }


async def unfurl_links(emu: SlackEmulator, conv: Conversation, message: dict[str, Any]) -> None:
    """Add the previews of ``message``'s links and tell the app, as Slack does."""
    found = links(str(message.get("text") or ""))
    if not found:
        return
    previous = copy.deepcopy(message)
    message["attachments"] = [preview(url, index) for index, url in enumerate(found, 1)]
    ws = emu.workspace
    if ws.bot_user.id in conv.members:
        event = message_changed_event(
            conv, message, previous, ws.clock.next(), sparse=emu.sparse("message_changed")
        )
        await emu._emit_event(event)
    emu._notify()
