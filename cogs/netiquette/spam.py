"""Noise rather than words: shouting, mass mentions, flooding and repeated messages."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

# Everyone at once, on each platform: Discord's @everyone/@here, Slack's <!channel> & co.
_BROADCAST = re.compile(r"(?<![\w@])@(?:everyone|here)\b|<!(?:channel|here|everyone)(?:\|[^>]*)?>")
# Member and role mentions: Discord <@123>, <@!123>, <@&123>; Slack <@U123>; console @name.
_MEMBER = re.compile(r"<@[!&]?\d+>|<@[UW][A-Z0-9]+(?:\|[^>]*)?>|(?<![\w@.])@[\w][\w.-]*")
# Text that is not prose when judging caps: links, mentions, :emoji: codes.
_NOT_PROSE = re.compile(r"https?://\S+|<[^>\s]*>|(?<!\w)@\w+|:[a-z0-9_+-]+:", re.IGNORECASE)
_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_LOWER = bytes(range(ord("a"), ord("z") + 1))
_KEY_DROP = re.compile(r"[\W_]+")
_KEY_DROP_ASCII = bytes(c for c in range(128) if not chr(c).isalnum())
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
    if folded.isascii():
        kept = folded.encode("ascii").translate(None, _KEY_DROP_ASCII).decode("ascii")
        return kept or folded.strip()
    return _KEY_DROP.sub("", folded) or folded.strip()


# One message in an author's window: when, its folded text (or, from the fast path, which
# only lowers it, its text), whether that was folded, and its repeat key once a repeat had
# to be judged. One string a message, as long as the message.
Posted = list[Any]
_AT, _TEXT, _FOLDED, _KEY = range(4)


def _key(posted: Posted) -> str:
    key: str | None = posted[_KEY]
    if key is None:
        text: str = posted[_TEXT]
        key = posted[_KEY] = repeat_key(text if posted[_FOLDED] else text.lower())
    return key


@dataclass(frozen=True, slots=True)
class Limit:
    """`count` messages within the time: a flood, or a repeat of one message."""

    count: int
    within: timedelta


class Noise:
    """The community's flood and repeat limits (None: that rule is off), and what follows
    from them, read once: how many of an author's messages to keep, and how many of them
    a repeat is looked for in."""

    __slots__ = ("flood", "flood_count", "keep", "repeat", "span")

    def __init__(self, flood: Limit | None, repeat: Limit | None) -> None:
        self.flood = flood
        self.repeat = repeat
        self.flood_count = max(flood.count, 1) if flood else 1
        self.span = max(repeat.count * 2, 2) if repeat else 2
        self.keep = max(self.flood_count, self.span)


_NONE: tuple[str, ...] = ()
_FLOOD = ("flood",)
_REPEAT = ("repeat",)
_BOTH = ("flood", "repeat")


class Windows:
    """Each author's recent messages, bounded in time and in how many authors are kept
    (a dict keeps its authors in the order they last posted). An author's messages come in
    the order they were posted (each checked at the clock's now), so the newest are last."""

    def __init__(self) -> None:
        self._recent: dict[str, deque[Posted]] = {}

    def post(
        self, author: str, at: datetime, text: str, folded: str | None, noise: Noise
    ) -> tuple[str, ...]:
        """Remember a message and tell which of flood and repeat it makes. Most messages
        are told by their window's times alone; only an author who posted often enough
        lately to repeat has their messages' keys read, each once."""
        table = self._recent
        recent = table.pop(author, None)
        if recent is None or recent.maxlen != noise.keep:
            recent = deque(recent or (), maxlen=noise.keep)
            if len(table) >= MAX_AUTHORS:
                del table[next(iter(table))]
        table[author] = recent
        recent.append([at, text, False, None] if folded is None else [at, folded, True, None])
        posted = len(recent)
        flood = noise.flood
        flooded = (
            flood is not None
            and posted >= flood.count
            and recent[-noise.flood_count][_AT] >= at - flood.within
        )
        repeat = noise.repeat
        if repeat is None:
            return _FLOOD if flooded else _NONE
        count = repeat.count
        since = at - repeat.within
        if count > 1 and (posted < count or recent[-count][_AT] < since):
            return _FLOOD if flooded else _NONE
        key = _key(recent[-1])
        if len(key) < 2:
            return _FLOOD if flooded else _NONE
        same = 0
        # The window may keep more than a repeat looks at, when the flood needs more.
        latest = reversed(recent) if posted <= noise.span else islice(reversed(recent), noise.span)
        for earlier in latest:
            if earlier[_AT] < since:
                break
            earlier_key = earlier[_KEY]
            same += (earlier_key if earlier_key is not None else _key(earlier)) == key
        if same < count:
            return _FLOOD if flooded else _NONE
        return _BOTH if flooded else _REPEAT
