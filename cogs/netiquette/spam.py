"""Noise rather than words: shouting, mass mentions, flooding and repeated messages."""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
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


# One message in an author's window: when, its text, its folded text if it was folded (the
# fast path only lowers it), and its repeat key once a repeat had to be judged.
Posted = list[Any]
_AT, _TEXT, _FOLDED, _KEY = range(4)


def _key(posted: Posted) -> str:
    key: str | None = posted[_KEY]
    if key is None:
        folded: str | None = posted[_FOLDED]
        key = posted[_KEY] = repeat_key(posted[_TEXT].lower() if folded is None else folded)
    return key


@dataclass(frozen=True, slots=True)
class Limit:
    """`count` messages within the time: a flood, or a repeat of one message."""

    count: int
    within: timedelta


@dataclass(frozen=True, slots=True)
class Noise:
    """The community's flood and repeat limits (None: that rule is off)."""

    flood: Limit | None
    repeat: Limit | None

    @property
    def keep(self) -> int:
        """How many of an author's messages both rules need."""
        flood, repeat = self.flood, self.repeat
        return max(flood.count if flood else 1, repeat.count * 2 if repeat else 1, 2)


_NONE: tuple[str, ...] = ()
_FLOOD = ("flood",)
_REPEAT = ("repeat",)
_BOTH = ("flood", "repeat")


class Windows:
    """Each author's recent messages, bounded in time and in how many authors are kept.
    An author's messages come in the order they were posted (each checked at the clock's
    now), so the newest are last."""

    def __init__(self) -> None:
        self._recent: OrderedDict[str, deque[Posted]] = OrderedDict()

    def post(
        self,
        author: str,
        at: datetime,
        text: str,
        folded: str | None,
        noise: Noise,
        keep: int,
    ) -> tuple[str, ...]:
        """Remember a message and tell which of flood and repeat it makes; `keep` is the
        noise's `keep`, read once by the caller."""
        table = self._recent
        recent = table.get(author)
        if recent is None or (recent.maxlen or 0) < keep:
            recent = table[author] = deque(recent or (), maxlen=keep)
            while len(table) > MAX_AUTHORS:
                table.popitem(last=False)
        table.move_to_end(author)
        recent.append([at, text, folded, None])
        flood, repeat = noise.flood, noise.repeat
        flooded = flood is not None and _flooded(recent, at, flood)
        if repeat is None or not _repeated(recent, at, repeat):
            return _FLOOD if flooded else _NONE
        return _BOTH if flooded else _REPEAT


def _flooded(recent: deque[Posted], at: datetime, flood: Limit) -> bool:
    """`count` of the author's messages (this one the last) within the time."""
    count = max(flood.count, 1)
    return len(recent) >= count and recent[-count][_AT] >= at - flood.within


def _repeated(recent: deque[Posted], at: datetime, repeat: Limit) -> bool:
    """The same message `count` times (this one the last) within the time, among the
    author's last `2 × count`. Only an author who posted that often lately has their
    messages' keys read."""
    count = repeat.count
    since = at - repeat.within
    if count > 1 and (len(recent) < count or recent[-count][_AT] < since):
        return False
    key = _key(recent[-1])
    if len(key) < 2:
        return False
    same = 0
    for index in range(len(recent) - 1, max(len(recent) - max(count * 2, 2), 0) - 1, -1):
        posted = recent[index]
        if posted[_AT] < since:
            break
        same += _key(posted) == key
    return same >= count
