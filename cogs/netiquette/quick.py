"""The fast path: a plain ASCII message that certainly breaks no rule, told in C.

Almost every live message is clean. For those the whole check is one `bytes.translate`
(case folded, what is not a letter or a leetspeak character dropped) and one Hyperscan pass
over the result, plus a few substring tests for the rules that are not words. The set holds
every word entry as a pattern of the letters it can leave, leetspeak included, so it is
conservative: an innocent message may be sent to the full check, a match never slips by.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import re2

from cogs.netiquette.lexicon import Entry, Spec
from cogs.netiquette.normalize import fold_character, squeeze
from cogs.netiquette.pattern_set import PatternSet

# Each letter with the characters that the full check may read as it.
_LEET = {"a": "4@", "e": "3", "i": "1!|", "l": "1", "o": "0", "s": "5$", "t": "7"}
# Kept in a skeleton: letters and what may stand for one.
_KEPT = b"abcdefghijklmnopqrstuvwxyz0123456789@$!|"
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_OTHER = bytes(c for c in range(128) if bytes([c]).lower() not in _KEPT)
# The bounded skeleton keeps a word's edges: a separator that may part spaced letters or
# syllables becomes a dot, anything else a space.
_BOUNDED = bytes(
    c if c in _KEPT else c | 0x20 if 65 <= c <= 90 else 46 if chr(c) in "-._/\\," else 32
    for c in range(256)
)
# What a word holds after a stem or around a root, and what parts two words of a phrase.
_WORD_TAIL = "[a-z0-9@$!|]*"
_GAP = "[^a-z]*"
_EDGE = "[^a-z]+"
_START = "(?:^|[^a-z])"
_END = "(?:[^a-z]|$)"
# A mask next to a letter ("f*ck", "c#zzo") hides a letter: the full check reads it.
_MASKED = re.compile(r"[\w@$!|][*#%]|\*\w")
# Where the full check may join tokens into one word, word edges do not hold: single
# letters spaced out ("s t u p i d") or short pieces cut by a dash or a dot ("cre-ti-no").
# These patterns come first in the bounded set; alone, they send the message to the loose one.
_JOINABLE = (
    "(?:^|[^a-z0-9])[a-z][ .]{1,3}[a-z](?:[^a-z0-9]|$)",
    "(?:^|[^a-z0-9@$])[!|]*[a-z0-9@$!|]{1,3}\\.[a-z0-9@$!|]{1,3}[!|]*(?:[^a-z0-9@$!|]|$)",
)


def _letter(letter: str) -> str:
    others = _LEET.get(letter)
    return f"[{re2.escape(letter)}{re2.escape(others)}]" if others else re2.escape(letter)


def spec_pattern(spec: Spec) -> str:
    """A word's letters as they can appear: stretched, a double kept double in short
    words (as the matcher demands), each letter or its leetspeak."""
    parts = []
    for letter, count in zip(squeeze(spec.text), spec.counts, strict=True):
        keep = count >= 2 and len(spec.squeezed) < 6
        parts.append(f"{_letter(letter)}{{2,}}" if keep else f"{_letter(letter)}+")
    pattern = "".join(parts)
    if spec.kind == "infix":
        return _WORD_TAIL + pattern + _WORD_TAIL
    return pattern + _WORD_TAIL if spec.kind == "prefix" else pattern


def _position(specs: Iterable[Spec]) -> str:
    return "(?:" + "|".join(sorted({spec_pattern(spec) for spec in specs})) + ")"


def _inner(entries: Iterable[Entry], bounded: bool) -> str:
    """Entries as one alternative; bounded, two words of a phrase have an edge between
    them (a root's own tail takes the letters around it)."""
    between = _EDGE if bounded else _GAP
    return "|".join(sorted({between.join(map(_position, e.specs)) for e in entries}))


def _whole(inner: str, bounded: bool) -> str:
    return f"{_START}(?:{inner}){_END}" if bounded else f"(?:{inner})"


@dataclass(frozen=True, slots=True)
class QuickWords:
    """The curated entries that can flag a message: said anyhow, or said to someone (an
    address such as "you are" / "sei", fillers such as "a" / "un", then the word)."""

    said: tuple[Entry, ...]
    addressed: tuple[Entry, ...] = ()
    address: tuple[Entry, ...] = ()
    filler: frozenset[str] = frozenset()

    def patterns(self, *, bounded: bool) -> list[str]:
        found = {_whole(_inner([entry], bounded), bounded) for entry in self.said}
        if self.addressed and self.address:
            between = _EDGE if bounded else _GAP
            fillers = [Spec.parse(word) for word in self.filler if word.isalpha()]
            filler = f"(?:{between}{_position(fillers)})*" if fillers else ""
            address = _inner(self.address, bounded)
            words = _inner(self.addressed, bounded)
            found.add(_whole(f"(?:{address}){filler}{between}(?:{words})", bounded))
        return sorted(found)


def _compiled(
    patterns: list[str], kept_as: str | None, part: str
) -> Callable[[bytes], list[int]] | None:
    if not patterns:
        return None
    return PatternSet(patterns, f"{kept_as}-{part}" if kept_as is not None else None)


class QuickScan:
    """Two pattern sets of every word entry that can flag a message: one over the bounded
    skeleton, word edges kept, for most messages; one over the letters run together, for
    a message whose words the full check may join."""

    def __init__(self, words: Iterable[QuickWords], kept_as: str | None = None) -> None:
        """`kept_as`: the name the compiled sets are kept under (see pattern_set.py)."""
        parts = list(words)
        bounded = sorted({p for w in parts for p in w.patterns(bounded=True)})
        loose = sorted({p for w in parts for p in w.patterns(bounded=False)})
        self._bounded = _compiled([*_JOINABLE, *bounded], kept_as, "bounded") if bounded else None
        self._loose = _compiled(loose, kept_as, "loose")

    def words_clean(self, text: str, encoded: bytes | None = None) -> bool:
        """Whether no word entry can match this ASCII text (`encoded`: it as bytes)."""
        if ("*" in text or "#" in text or "%" in text) and _MASKED.search(text) is not None:
            return False
        if self._bounded is None or self._loose is None:
            return True
        if encoded is None:
            encoded = text.encode("ascii")
        found = self._bounded(encoded.translate(_BOUNDED))
        if not found:
            return True
        if max(found) >= len(_JOINABLE):
            return False
        return not self._loose(encoded.translate(_LOWER, _OTHER))


class _Folds(dict[int, str]):
    """Each character as the full check folds it, when that is ASCII, a capital kept a
    capital; any other character becomes a space (a capital letter an "X"), which can only
    part words the full check keeps whole, never hide a letter it reads."""

    def __missing__(self, code: int) -> str:
        character = chr(code)
        folded = fold_character(character)
        if character.isupper():  # counted as a capital for shouting
            folded = "".join(
                c.upper() if c.isascii() else "X" if c.isalnum() else " " for c in folded
            )
        value = "".join(c if c.isascii() else " " for c in folded)
        if len(self) < _MAX_FOLDS:
            self[code] = value
        return value


_MAX_FOLDS = 1 << 16
# The middle dots part spaced letters as a dot does ("s·t·u·p·i·d").
_FOLDS = _Folds({**{code: chr(code) for code in range(128)}, ord("·"): ".", ord("•"): "."})


def ascii_fold(text: str) -> str:
    """Accented and typographic text ("è", "perché", "’") as the ASCII letters the full
    check reads in it."""
    return text.translate(_FOLDS)


def may_mention(text: str) -> bool:
    return "@" in text or "<!" in text


__all__ = ["QuickScan", "QuickWords", "ascii_fold", "may_mention"]
