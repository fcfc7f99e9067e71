"""Slack's text rules: what members typed comes in escaped, what we send goes out escaped.

Slack escapes `&`, `<` and `>` as HTML entities and writes mentions as `<@U123|name>`,
`<#C123|name>`, `<!channel>` and links as `<https://…|label>`. Outgoing text is escaped the
same way, so that nothing a member typed can become a `<!channel>` ping or a hidden link;
only member and channel mentions (`<@U…>`, `<#C…>`, what `mention()` writes) stay live.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"<(?:@[UW]|#[CGD])[A-Z0-9]+(?:\|[^<>]*)?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^<>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^<>]*))?>")
_DATE = re.compile(r"<!date\^[^|<>]*\|([^<>]*)>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|<>]*)(?:\|([^<>]*))?>")
_USER_ID = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>$")
_CHANNEL_ID = re.compile(r"^<#([CGD][A-Z0-9]+)(?:\|([^<>]*))?>$")


def escape(text: str) -> str:
    """Escape `&`, `<`, `>` everywhere except in member and channel mentions."""
    parts: list[str] = []
    position = 0
    for match in _KEEP.finditer(text):
        parts.append(_escape_plain(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_escape_plain(text[position:]))
    return "".join(parts)


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def live_ping(text: str, ping: str | None) -> str:
    """`text` (escaped) with the mention Ponte itself chose (`<!channel>`, a user group) made
    live again where it opens the message; nowhere else, so a member's text never pings."""
    if ping is None or not text.startswith(_escape_plain(ping)):
        return text
    return ping + text[len(_escape_plain(ping)) :]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def incoming(text: str) -> str:
    """What a member typed, as the core reads it.

    Member and channel mentions stay (the core resolves them); `<!channel>` and friends
    become plain `@channel`, links their address, and entities the characters they stand for.
    """
    text = _SPECIAL.sub(lambda match: f"@{match.group(1)}", text)
    text = _SUBTEAM.sub(lambda match: match.group(1) or "@group", text)
    text = _DATE.sub(lambda match: match.group(1), text)
    text = _LINK.sub(lambda match: match.group(1).removeprefix("mailto:"), text)
    return unescape(text)


def user_reference(reference: str) -> tuple[str | None, str]:
    """`<@U123|alice>` → ("U123", "alice"); `@alice` → (None, "alice")."""
    reference = reference.strip()
    match = _USER_ID.match(reference)
    if match:
        return match.group(1), match.group(2) or ""
    return None, reference.lstrip("@")


def channel_reference(reference: str) -> tuple[str | None, str]:
    """`<#C123|general>` → ("C123", "general"); `#general` → (None, "general")."""
    reference = reference.strip()
    match = _CHANNEL_ID.match(reference)
    if match:
        return match.group(1), match.group(2) or ""
    return None, reference.lstrip("#")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
