"""Recognising a complaint in Italian or English chat: a weighted lexicon of both languages
(members mix them), with negation, intensity (caps, "!!!", "again") and the false friends of
chat ("this game kills me lol", "spacca", "da paura") that sound angry and are not.

A lexicon rather than a trained model: it explains itself (`Verdict.reasons`), needs no
download, and the labelled set in tests/data/crisis measures how well it generalizes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from importlib import resources

THRESHOLD = 1.0


class Kind(Enum):
    NEGATIVE = "negative"  # negated, it no longer counts: "non è male", "not bad"
    HARD = "hard"  # counts even after a negation: "still no refund", "niente rimborso"
    FLIP = "flip"  # something working; negated, a complaint: "non funziona", "doesn't load"
    POSITIVE = "positive"
    LAUGH = "laugh"  # marks a joke: the anger words around it are play
    AGAIN = "again"  # "ennesimo", "again": weighs only beside a complaint


def _load() -> tuple[tuple[re.Pattern[str], float, Kind], ...]:
    entries = []
    for line in (
        resources.files(__package__).joinpath("lexicon.txt").read_text("utf-8").splitlines()
    ):
        if line.strip() and not line.startswith("#"):
            weight, kind, pattern = line.split("\t", 2)
            entries.append((re.compile(r"\b(?:" + pattern + ")"), float(weight), Kind(kind)))
    return tuple(entries)


_COMPILED = _load()
# Only these terms make a complaint: a message with none of them (most messages) is read
# once, by their alternation, rather than once for every term of the lexicon (a tenth of
# the time).
_COMPLAINING = re.compile(
    "|".join(
        pattern.pattern
        for pattern, _, kind in _COMPILED
        if kind in (Kind.NEGATIVE, Kind.HARD, Kind.FLIP)
    )
)
_NEGATORS = frozenset(
    (
        *("non", "mai", "nessun", "nessuno", "niente", "nulla", "neanche", "nemmeno", "neppure"),
        *("senza", "not", "no", "never", "nor", "without", "nothing", "cannot", "isnt", "dont"),
        *("doesnt", "didnt", "cant", "wont", "wasnt", "arent", "havent", "hasnt"),
    )
)
_NEGATION_REACH = 4  # words before a term that a negation governs
# Words, emoji, and punctuation kept as a token of its own: a negation ends at a clause.
_WORD = re.compile(r"[a-z0-9]+|[\U0001F300-\U0001FAFF]|[.,;:!?]+")
_CLAUSE_END = re.compile(r"^[.,;:!?]+$")
_SHOUT = re.compile(r"[!?]{2,}")


@dataclass(frozen=True, slots=True)
class Verdict:
    score: float
    reasons: tuple[str, ...]

    @property
    def is_complaint(self) -> bool:
        return self.score >= THRESHOLD


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes joined in English (doesn't) and split in Italian
    (l'app), letters held too long cut to two (noooo), one space between words."""
    lowered = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in lowered if not unicodedata.combining(char))
    plain = re.sub(r"[’`´]", "'", plain)
    plain = re.sub(r"n't\b", "nt", plain)
    plain = re.sub(r"(\w)\1{2,}", r"\1\1", plain)
    return " ".join(_WORD.findall(plain))


def _intensity(text: str) -> float:
    letters = [char for char in text if char.isalpha()]
    shouting = len(letters) >= 6 and sum(char.isupper() for char in letters) / len(letters) > 0.7
    return 0.5 * shouting + 0.5 * bool(_SHOUT.search(text))


def _negated(folded: str, start: int) -> bool:
    clause: list[str] = []  # the words before, nearest first, back to the clause's start
    for word in reversed(folded[:start].split()):
        if _CLAUSE_END.match(word):
            break
        clause.append(word)
    prior = [*clause[1:], ""]
    # "come mai" asks why; it negates nothing.
    return any(
        word in _NEGATORS and not (word == "mai" and before == "come")
        for word, before in list(zip(clause, prior, strict=False))[:_NEGATION_REACH]
    )


def classify(text: str) -> Verdict:
    folded = fold(text)
    if not _COMPLAINING.search(folded):
        return Verdict(0.0, ())
    negative = positive = laugh = again = 0.0
    reasons: list[str] = []
    taken: list[tuple[int, int]] = []
    for pattern, weight, kind in _COMPILED:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue  # a longer phrase already read these words
            taken.append((start, end))
            negated = _negated(folded, start)
            if kind is Kind.FLIP:
                if negated:
                    negative += weight + 0.3
                    reasons.append(f"not {match.group()}")
            elif kind is Kind.HARD or (kind is Kind.NEGATIVE and not negated):
                negative += weight
                reasons.append(match.group())
            elif kind is Kind.POSITIVE and not negated:
                positive += weight
            elif kind is Kind.LAUGH:
                laugh += weight
            elif kind is Kind.AGAIN:
                again = max(again, weight)
    if negative == 0:
        return Verdict(0.0, ())
    # Praise beside a strong complaint is sarcasm ("great job, now nothing loads").
    praise = positive * 0.6 if negative < 1.2 else 0.0
    score = negative + again + _intensity(text) - praise - laugh
    return Verdict(round(score, 2), tuple(reasons))


def is_complaint(text: str) -> bool:
    return classify(text).is_complaint
