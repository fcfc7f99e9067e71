"""Where a message quotes someone: quotation marks, a Markdown quote line, words reported
after "wrote:" or "mi ha scritto:". A member who quotes an insult to report it is not the
offender (words.py decides that; this finds the quotes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cogs.netiquette.normalize import Token

# Inline quotes: straight and typographic double quotes, guillemets, backticks, and single
# quotes that open and close around words (not the apostrophe of "l'idiota", "don't").
_QUOTES = re.compile(
    r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|‘[^’\n]{1,300}’|`[^`\n]{1,300}`"
    r"|(?<![\w'])'(?=\S)[^'\n]{1,300}(?<=\S)'(?![\w'])"
)
_QUOTE_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
# Reported words after a colon: "mi ha scritto: sei un coglione", "he wrote: kys".
_REPORTED = re.compile(
    r"\b(?:scritto|scrive|scriveva|detto|dice|diceva|wrote|writes|said|says|told me|tells me"
    r"|messaged me|dmed me|sent me|mandato|inviato|quote|quoting|cito)\s*:\s*([^\n]+)"
)


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    line: bool  # a Markdown quote line rather than quotation marks


# What each kind of quote needs, looked for before its regex: most messages have none.
_QUOTE_MARKS = ('"', "“", "«", "‘", "`", "'")


def quotes_in(folded: str) -> list[Quote]:
    """Every quote in the folded text, by its offsets."""
    found: list[Quote] = []
    if any(mark in folded for mark in _QUOTE_MARKS):
        found += [Quote(m.start(), m.end(), False) for m in _QUOTES.finditer(folded)]
    if ">" in folded:
        found += [Quote(m.start(), m.end(), True) for m in _QUOTE_LINE.finditer(folded)]
    if ":" in folded:
        found += [Quote(m.start(1), m.end(1), False) for m in _REPORTED.finditer(folded)]
    return found


def quote_of(token: Token, quotes: Sequence[Quote]) -> Quote | None:
    """The quote a token is inside, if any."""
    for quote in quotes:
        if quote.start <= token.start and token.end <= quote.end:
            return quote
    return None
