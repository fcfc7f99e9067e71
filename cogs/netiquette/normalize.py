"""Folding a message into the form the rules are written in, keeping the way back.

Every trick a member uses to slip a word past a filter is undone here: case, compatibility
forms (fullwidth, circled, mathematical letters), look-alike letters of other scripts,
invisible characters, accents, leetspeak and masking, letters spaced out. Each folded
character remembers the original character it came from, so a verdict's span points into
the message as the member wrote it.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

# Leetspeak read back as letters, inside words only: "2024" stays a number. "1" is either
# "i" or "l" and is tried both ways by the matcher, so it is not mapped here.
LEET = str.maketrans(
    {"4": "a", "@": "a", "3": "e", "0": "o", "5": "s", "$": "s", "7": "t", "!": "i", "|": "i"}
)
# Characters that hide a letter: "f*ck", "c#zzo".
MASKS = frozenset("*#%")
_TOKEN = re.compile(r"[\w@$*!|#%]+")
# Edges that are punctuation, not a hidden letter: "what!", "#topic", "_idiot_".
_EDGE_STRIP = "!|#%_"
# Letters spaced out ("s t u p i d", "s.t.u.p.i.d"): single characters one separator apart.
_SPACED = frozenset([*" .-_·•/\\,", " . ", " - ", " _ ", " · ", " • "])
_SYLLABLE = frozenset("-.·_")


@dataclass(frozen=True, slots=True)
class Folded:
    """The folded text and, for each of its characters, the index it came from."""

    text: str
    origin: tuple[int, ...] | None  # None: the same positions as the original

    def source_span(self, start: int, end: int, original_length: int) -> tuple[int, int]:
        if self.origin is None:
            return (start, end)
        if start >= len(self.origin):
            return (original_length, original_length)
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return (first, last)


class Token(NamedTuple):
    word: str  # folded, leetspeak read back, masks kept as "*"
    start: int  # offsets into the folded text
    end: int


# Made from a tuple directly, without the keyword handling of the generated constructor:
# every word of every message is one.
_token = tuple.__new__


# Small capitals (ᴀ ʙ ᴅ ᴛ, what "small text" generators type) are named after their letter;
# the confusables pair most of them only with letters of other scripts.
_SMALL_CAPITAL = re.compile(r"LATIN LETTER SMALL CAPITAL ([A-Z])")
# Greek and Cyrillic letters that pass for Latin ones in chat, which the confusables pair
# only with each other (τ with ᴛ, к with ĸ) or not at all; and capital I look-alikes, which
# they read as a lowercase l ("ΙDΙΟΤ" is not "ldlot").
_LOOK_ALIKES = {
    **dict(zip("βδεηκμτχω", "bdenkutxw", strict=True)),
    **dict(zip("вгкмнптьш", "brkmhntbw", strict=True)),
    **dict.fromkeys("ΙІӀƖ", "i"),
}


def _confusable_table() -> dict[str, str]:
    """Unicode's confusables (from confusable-homoglyphs) that look like one Latin letter."""
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for character, glyphs in data.items():
        if len(character) != 1 or character.isascii():
            continue
        targets = [g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii()]
        letters = [t for t in targets if t.isalpha()] or [t for t in targets if t.isdigit()]
        if letters:
            table[character] = letters[0].lower()
    for code in range(0x250, 0xAB70):
        small_capital = _SMALL_CAPITAL.fullmatch(unicodedata.name(chr(code), ""))
        if small_capital:
            table[chr(code)] = small_capital.group(1).lower()
    table.update(_LOOK_ALIKES)
    return table


_CONFUSABLES = _confusable_table()


def _fold_once(character: str) -> str:
    if character.isascii():
        return character.lower()
    if unicodedata.category(character) in ("Cf", "Mn", "Me", "Cc", "Cs", "Co"):
        return ""  # zero-width joiners, soft hyphens, combining marks, variation selectors
    decomposed = unicodedata.normalize("NFKD", character)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    composed = unicodedata.normalize("NFKC", bare)
    # A look-alike is read in its own case first: Greek "Β" is Latin "B", while its
    # lowercase "β" resembles no Latin letter.
    return "".join(
        _CONFUSABLES.get(c) or _CONFUSABLES.get(c.casefold()) or c.casefold() for c in composed
    )


@functools.lru_cache(maxsize=65536)
def fold_character(character: str) -> str:
    """One character folded to a fixed point, so folding folded text changes nothing."""
    current = character
    for _ in range(6):
        following = "".join(_fold_once(c) for c in current)
        if following == current:
            return current
        current = following
    return current


def fold(text: str) -> Folded:
    if text.isascii():
        return Folded(text.lower(), None)
    pieces: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(text):
        folded = character.lower() if character.isascii() else fold_character(character)
        if folded:
            pieces.append(folded)
            origin.extend([index] * len(folded))
    return Folded("".join(pieces), tuple(origin))


def normalize(text: str) -> str:
    """The folded text alone (what the property tests hold idempotent)."""
    return fold(text).text


_CLEANED: dict[str, tuple[str, int, int] | None] = {}
_MAX_CLEANED = 50_000
_UNSEEN = ("", 0, 0)  # a marker told by its identity, not its value


def _cleaned(raw: str) -> tuple[str, int, int] | None:
    """`_clean`, remembered: chat repeats its words."""
    try:
        return _CLEANED[raw]
    except KeyError:
        pass
    if len(_CLEANED) >= _MAX_CLEANED:
        _CLEANED.clear()
    result = _CLEANED[raw] = _clean(raw)
    return result


def _clean(raw: str) -> tuple[str, int, int] | None:
    """A raw token's word with punctuation edges cut, and how much was cut at each end.
    Stars on both sides are Markdown emphasis ("**idiota**"), not hidden letters."""
    strip = _EDGE_STRIP + "*" if raw.startswith("*") and raw.endswith("*") else _EDGE_STRIP
    left = len(raw) - len(raw.lstrip(strip))
    right = len(raw) - len(raw.rstrip(strip))
    core = raw[left : len(raw) - right] if right else raw[left:]
    if not core or not any(c.isalpha() for c in core):
        return None
    if any(c.isalpha() for c in core) and not core.isalpha():
        core = core.translate(LEET)
        for mask in MASKS:
            core = core.replace(mask, "*")
    return core, left, right


# ASCII text's token characters (`_TOKEN`'s) kept, any other one a space: its tokens are
# then what `split` returns, found in order by `find`, far cheaper than a regex's matches.
_TOKEN_BYTES = bytes(c if c < 128 and _TOKEN.fullmatch(chr(c)) else 32 for c in range(256))


def _raw_tokens(folded: str) -> list[tuple[str, int, int]]:
    if not folded.isascii():
        return [(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(folded)]
    found = []
    spaced = folded.encode("ascii").translate(_TOKEN_BYTES).decode("ascii")
    find = spaced.find
    end = 0
    for raw in spaced.split():
        start = find(raw, end)
        end = start + len(raw)
        found.append((raw, start, end))
    return found


def tokens(folded: str) -> list[Token]:
    """The words of folded text, with spaced-out letters joined into the word they spell."""
    found: list[Token] = []
    pair = False
    before = ""  # the word before, while it is short
    last = 0  # where it ends
    remembered = _CLEANED.get
    for raw, start, end in _raw_tokens(folded):
        cleaned = remembered(raw, _UNSEEN)
        if cleaned is _UNSEEN:
            cleaned = _cleaned(raw)
        if cleaned is None:
            continue
        word, left, right = cleaned
        start += left
        # Only two short words in a row, parted as `_join_spaced` joins them, can be letters
        # spaced out or syllables: "sei un" is neither.
        if before and len(word) <= 3 and not pair:
            gap = folded[last:start]
            pair = gap in _SYLLABLE or (len(word) == 1 == len(before) and gap in _SPACED)
        before = word if len(word) <= 3 else ""
        last = end - right
        found.append(_token(Token, (word, start, last)))
    return _join_spaced(folded, found) if pair else found


def _join_spaced(folded: str, found: list[Token]) -> list[Token]:
    """Letters spaced out ("s t u p i d", "k.y.s") or a word cut into syllables
    ("cre-ti-no") are read as the one word they spell. A wider gap ends the word:
    "t i  a m m a z z o" is two words. Two letters alone ("I'm a") are words of their own,
    unless the message spells out its words that way next to them."""
    count = len(found)
    spaced = [False] * count  # joined to the next token, letter by letter
    syllable = [False] * count  # joined to the next token, syllable by syllable
    for index in range(count - 1):
        this, following = found[index], found[index + 1]
        if len(this.word) > 3 or len(following.word) > 3:
            continue
        gap = folded[this.end : following.start]
        spaced[index] = len(this.word) == 1 and len(following.word) == 1 and gap in _SPACED
        syllable[index] = gap in _SYLLABLE
    runs: list[tuple[int, int, bool]] = []  # first, last, spelled letter by letter
    index = 0
    while index < count:
        chain = spaced if spaced[index] else syllable
        end = index
        while end < count - 1 and chain[end]:
            end += 1
        runs.append((index, end, chain is spaced and end > index))
        index = end + 1
    joined: list[Token] = []
    for position, (first, last, spelled) in enumerate(runs):
        pair = spelled and last == first + 1
        if pair and not _spelled_next_to(runs, position):
            joined.extend(found[first : last + 1])
        elif last > first:
            word = "".join(t.word for t in found[first : last + 1])
            joined.append(_token(Token, (word, found[first].start, found[last].end)))
        else:
            joined.append(found[first])
    return joined


def _spelled_next_to(runs: list[tuple[int, int, bool]], position: int) -> bool:
    neighbours = runs[max(position - 1, 0) : position] + runs[position + 1 : position + 2]
    return any(spelled for _, _, spelled in neighbours)


# The skeleton keeps letters only, leetspeak read as letters: what every word rule looks at.
# "!" and "|" are letters only inside a word ("sh!t"), which the check reads word by word.
_SKELETON_FROM = b"4@305$7"
_SKELETON_TO = b"aaeosst"
_SKELETON_TABLE = bytes.maketrans(_SKELETON_FROM, _SKELETON_TO)
_SKELETON_DROP = bytes(c for c in range(128) if not chr(c).isalpha() and c not in _SKELETON_FROM)
_NOT_READ = bytes(c for c in range(256) if c not in _SKELETON_FROM)
# A word holding a character whose reading depends on it ("1" is "i" or "l"; a mask hides
# a letter; "!" is an "i" between letters): such a message is read word by word. "21:30",
# "<#123>" or "ciao!" hold no such word.
_UNCERTAIN = ("1", "*", "#", "%")
_INNER_BANG = re.compile(r"[\w@$][!|]+[\w@$]")


def _ambiguous(folded: str) -> bool:
    if ("1" in folded or "*" in folded or "#" in folded or "%" in folded) and any(
        any(c in word for c in _UNCERTAIN) and any(c.isalpha() for c in word)
        for word in _TOKEN.findall(folded)
    ):
        return True
    return ("!" in folded or "|" in folded) and _INNER_BANG.search(folded) is not None


# Tokens without a letter ("2024", "0", "$$") make no word: they leave nothing either.
_LETTERLESS = re.compile(r"(?<![\w@$*!|#%])[\d_@$*!|#%]+(?![\w@$*!|#%])")


def skeleton(folded: str) -> bytes | None:
    """The message's letters run together, as UTF-8, leetspeak read as letters. Every word a
    rule matches in the message leaves its letters in order here, with nothing but what is
    not an ASCII letter between two words, so one scan of it tells cheaply that nothing can
    match. None: read it word by word."""
    if _ambiguous(folded):
        return None
    if folded.isascii():
        encoded = folded.encode("ascii")
        # Without a character the skeleton reads as a letter, a letterless token leaves
        # nothing anyway: the translate drops it.
        if encoded.translate(None, _NOT_READ):
            encoded = _LETTERLESS.sub("", folded).encode("ascii")
        return encoded.translate(_SKELETON_TABLE, _SKELETON_DROP)
    folded = folded.replace("·", "").replace("•", "")
    folded = _LETTERLESS.sub("", folded)
    return folded.encode("utf-8").translate(_SKELETON_TABLE, _SKELETON_DROP)


def squeeze(word: str) -> str:
    """Every run of one letter as a single letter: "stuuupid" -> "stupid", "cazzo" -> "cazo"."""
    if len(word) < 2:
        return word
    out = [word[0]]
    for character in word[1:]:
        if character != out[-1]:
            out.append(character)
    return "".join(out)


def runs(word: str) -> list[int]:
    """How long each run of one letter is: "cazzo" -> [1, 1, 2, 1]."""
    counts: list[int] = []
    previous = ""
    for character in word:
        if character == previous:
            counts[-1] += 1
        else:
            counts.append(1)
            previous = character
    return counts


__all__ = ["MASKS", "Folded", "Token", "fold", "fold_character", "normalize", "runs", "squeeze"]
