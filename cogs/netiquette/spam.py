"""Noise rather than words: shouting, mass mentions, flooding and repeated messages."""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from datetime import datetime, timedelta
from typing import TypeVar

T = TypeVar("T")

# Everyone at once, on each platform: Discord's @everyone/@here, Slack's <!channel> & co.
_BROADCAST = re.compile(r"(?<![\w@])@(?:everyone|here)\b|<!(?:channel|here|everyone)(?:\|[^>]*)?>")
# Member and role mentions: Discord <@123>, <@!123>, <@&123>; Slack <@U123>; console @name.
_MEMBER = re.compile(r"<@[!&]?\d+>|<@[UW][A-Z0-9]+(?:\|[^>]*)?>|(?<![\w@.])@[\w][\w.-]*")
# Text that is not prose when judging caps: links, mentions, :emoji: codes.
_NOT_PROSE = re.compile(r"https?://\S+|<[^>\s]*>|(?<!\w)@\w+|:[a-z0-9_+-]+:", re.IGNORECASE)
_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_LOWER = bytes(range(ord("a"), ord("z") + 1))
_KEY_DROP = re.compile(r"[\W_]+")
# Authors remembered for flood and repeat windows; the oldest are forgotten first.
MAX_AUTHORS = 10_000


def broadcast(text: str) -> tuple[int, int] | None:
    if "@" not in text and "<!" not in text:
        return None
    match = _BROADCAST.search(text)
    return match.span() if match else None


def too_many_mentions(text: str, limit: int) -> tuple[int, int] | None:
    if "@" not in text:
        return None
    seen: dict[str, tuple[int, int]] = {}
    for match in _MEMBER.finditer(text):
        name = match.group().lower()
        if name in ("@everyone", "@here"):
            continue
        seen.setdefault(name, match.span())
    if len(seen) <= limit:
        return None
    spans = list(seen.values())
    return (spans[0][0], spans[-1][1])


def shouting(text: str, min_letters: int, ratio: float) -> bool:
    """Caps on a long message only: "OMG YES" and "GG WP" are cheering, not shouting."""
    if len(text) < min_letters:
        return False
    prose = _NOT_PROSE.sub(" ", text) if ("@" in text or ":" in text or "<" in text) else text
    if prose.isascii():
        encoded = prose.encode("ascii")
        upper = len(encoded) - len(encoded.translate(None, _UPPER))
        if upper < min_letters * ratio:
            return False
        lower = len(encoded) - len(encoded.translate(None, _LOWER))
    else:
        upper = sum(map(str.isupper, prose))
        if upper < min_letters * ratio:
            return False
        lower = sum(map(str.islower, prose))
    letters = upper + lower
    return letters >= min_letters and upper >= ratio * letters


def repeat_key(folded: str) -> str:
    """What makes two messages the same: their letters, not spacing or punctuation."""
    return _KEY_DROP.sub("", folded) or folded.strip()


class Windows:
    """Each author's recent messages, bounded in time and in how many authors are kept."""

    def __init__(self) -> None:
        self._times: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._texts: OrderedDict[str, deque[tuple[datetime, str]]] = OrderedDict()

    @staticmethod
    def _window(table: OrderedDict[str, deque[T]], author: str, size: int) -> deque[T]:
        window = table.get(author)
        if window is None or window.maxlen != size:
            window = deque(window or (), maxlen=size)
            table[author] = window
        table.move_to_end(author)
        while len(table) > MAX_AUTHORS:
            table.popitem(last=False)
        return window

    def flood(self, author: str, at: datetime, messages: int, seconds: float) -> bool:
        window = self._window(self._times, author, max(messages, 1))
        window.append(at)
        since = at - timedelta(seconds=seconds)
        return len(window) >= messages and window[0] >= since

    def repeat(self, author: str, at: datetime, key: str, count: int, seconds: float) -> bool:
        window = self._window(self._texts, author, max(count * 2, 2))
        window.append((at, key))
        since = at - timedelta(seconds=seconds)
        same = sum(1 for when, text in window if text == key and when >= since)
        return len(key) >= 2 and same >= count
