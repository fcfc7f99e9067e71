"""Links: invites to other servers, gift scams and look-alike domains, a community's
denied and allowed domains, and the link limit for members who just joined."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Bare domains count only under the endings people actually link to, so "config.py" or
# "e.g." in a sentence is not a link.
_TLDS = (
    "com|net|org|io|gg|it|eu|uk|de|fr|es|ch|ru|su|cn|xyz|ly|me|co|info|biz|app|dev|link|click"
    "|top|gift|gifts|shop|store|site|online|live|tv|fun|icu|pw|cc|ws|tk|ml|ga|cf|gq|club"
    "|pro|vip|win|bid|loan|work|space|website|life|world|today|news|us|ca|au|in|br|pl|nl"
)
_LINK = re.compile(
    r"(?:(?:https?|hxxps?)://|www\.)[^\s<>\"'|()\[\]]+"
    rf"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})(?![\w-])"
    r"(?:/[^\s<>\"'|()\[\]]*)?"
)
# What every link above has, checked first: most messages have none.
_LINKISH = re.compile(r"://|www\.|[a-z0-9]\.[a-z]{2}")
_LINKISH_ANY_CASE = re.compile(_LINKISH.pattern, re.IGNORECASE)


def may_hold_link(text: str) -> bool:
    """Whether the text as written (any case) may hold a link: most messages do not."""
    return "." in text and _LINKISH_ANY_CASE.search(text) is not None


_INVITE_HOSTS = frozenset(
    {"discord.gg", "discord.io", "discord.me", "dsc.gg", "discord.link", "invite.gg"}
)
_INVITE_PATHS = {
    "discord.com": "/invite",
    "discordapp.com": "/invite",
    "join.slack.com": "/",
}
_OFFICIAL = frozenset(
    {
        "discord.com",
        "discord.gg",
        "discordapp.com",
        "discordapp.net",
        "discord.media",
        "discord.new",
        "discord.gift",
        "discordstatus.com",
        "steamcommunity.com",
        "steampowered.com",
        "steamstatic.com",
        "steamgames.com",
        "slack.com",
    }
)
_BRANDS = ("discord", "discordapp", "steamcommunity", "steampowered", "nitro")
# Look-alike letters in domain names: "dlscord", "stearncommunity", "steamcommunlty".
_SKELETON = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("1", "i"), ("l", "i"), ("0", "o"))
_BAIT = re.compile(
    r"\b(?:nitro|robux|airdrop|free\s+skins?|gift\s*cards?|steam\s+gifts?|giveaway"
    r"|(?:free|gratis|claim|regalo|regala\w*|omaggio)\W+(?:\w+\W+)?"
    r"(?:nitro|gifts?|skins?|steam|crypto|btc|eth|nft|discord))\b"
)


@dataclass(frozen=True, slots=True)
class Link:
    start: int
    end: int
    host: str
    path: str


@dataclass(frozen=True, slots=True)
class LinkHit:
    rule: str  # "link.invite" | "link.scam" | "link.denied" | "link.new_member"
    start: int
    end: int
    denied_by: int | None = None  # the custom rule that denied the domain


def find_links(folded: str) -> Iterator[Link]:
    if _LINKISH.search(folded) is None:
        return
    for match in _LINK.finditer(folded):
        text = match.group().rstrip(".,;:!?")
        address = re.sub(r"^(?:https?|hxxps?)://", "", text)
        host, _, rest = address.partition("/")
        host = host.split(":", 1)[0].split("@")[-1].strip(".")
        if host.startswith("www."):
            host = host[4:]
        if "." in host:
            yield Link(match.start(), match.start() + len(text), host, "/" + rest)


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _skeleton(label: str) -> str:
    for look, letter in _SKELETON:
        label = label.replace(look, letter)
    return label.replace("-", "")


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it exceeds the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@functools.lru_cache(maxsize=4096)
def is_lookalike(host: str, bait: bool) -> bool:
    """A domain dressed as Discord or Steam that is not theirs."""
    if any(_within(host, official) for official in _OFFICIAL):
        return False
    if host.startswith("xn--") or ".xn--" in host:
        return True  # punycode: an internationalized name, the usual look-alike disguise
    for label in host.split(".")[:-1]:
        skeleton = _skeleton(label)
        for brand in _BRANDS:
            brand_skeleton = _skeleton(brand)
            if brand == "nitro":
                if bait and brand in label:
                    return True
                continue
            if skeleton == brand_skeleton or (
                len(brand) >= 7 and _distance(skeleton, brand_skeleton, 2) <= 2
            ):
                return True
            if brand_skeleton in skeleton and bait:
                return True
    return False


class LinkRules:
    def __init__(self, denied: Iterable[tuple[int, str]] = (), allowed: Iterable[str] = ()) -> None:
        self._denied = [(rule, domain.lower().strip(".")) for rule, domain in denied]
        self._allowed = [domain.lower().strip(".") for domain in allowed]

    def find(self, folded: str, *, new_member: bool, limit: int) -> list[LinkHit]:
        if "." not in folded and ":" not in folded:
            return []  # every link has one (see `_LINKISH`): most messages have neither
        links = [
            link
            for link in find_links(folded)
            if not any(_within(link.host, domain) for domain in self._allowed)
        ]
        if not links:
            return []
        bait = _BAIT.search(folded) is not None
        hits: list[LinkHit] = []
        for link in links:
            rule = self._rule(link, bait)
            if rule is not None:
                hits.append(rule)
        if new_member and len(links) > limit:
            extra = links[limit]
            hits.append(LinkHit("link.new_member", extra.start, extra.end))
        return hits

    def _rule(self, link: Link, bait: bool) -> LinkHit | None:
        for rule, domain in self._denied:
            if _within(link.host, domain):
                return LinkHit("link.denied", link.start, link.end, rule)
        invite = link.host in _INVITE_HOSTS or any(
            _within(link.host, host) and link.path.startswith(path) and len(link.path) > 1
            for host, path in _INVITE_PATHS.items()
        )
        if invite:
            return LinkHit("link.invite", link.start, link.end)
        if is_lookalike(link.host, bait):
            return LinkHit("link.scam", link.start, link.end)
        if bait and _scam_words(link):
            return LinkHit("link.scam", link.start, link.end)
        return None


def _scam_words(link: Link) -> bool:
    """A gift offer with a link that is not the platform's own: "free nitro" + any link."""
    return not any(_within(link.host, official) for official in _OFFICIAL)
