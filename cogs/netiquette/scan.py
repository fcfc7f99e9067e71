"""The quick look at a message before its words are read.

A message's skeleton (`normalize.skeleton`) is its letters run together. Each entry of a
word list becomes a pattern of the letters it leaves there, and one RE2 pass of all of them
(an RE2 Set: linear in the message however many entries) tells which word lists cannot
match at all. Most messages stop here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, cast

import re2

from cogs.netiquette.normalize import squeeze

if TYPE_CHECKING:
    from cogs.netiquette.lexicon import Entry, Spec


class Scanned(Protocol):
    """A word list as the scan sees it: a key and the pattern of all its entries."""

    @property
    def key(self) -> int: ...

    @property
    def pattern(self) -> str | None: ...


def _skeleton_pattern(spec: Spec) -> str:
    """A word's letters as they can appear in a skeleton: "cazzo" is c+a+z{2,}o+, the
    doubled letter kept doubled (so "ass" is not looked for in every "as"), any letter
    stretched. Long words may lose a double ("vafanculo"), as the matcher allows."""
    parts = []
    for letter, count in zip(squeeze(spec.text), spec.counts, strict=True):
        escaped = re2.escape(letter)
        keep = count >= 2 and len(spec.squeezed) < 6
        parts.append(f"{escaped}{{2,}}" if keep else f"{escaped}+")
    pattern = "".join(parts)
    if spec.kind == "infix":
        return f"[a-z]*{pattern}[a-z]*"
    return f"{pattern}[a-z]*" if spec.kind == "prefix" else pattern


def entry_pattern(entry: Entry) -> str:
    # Consecutive words: their letters in order, nothing but what is not an ASCII letter (an
    # emoji) in between. A wider gap would cost RE2's Set dearly on long messages.
    return "[^a-z]*".join(
        "(?:" + "|".join(sorted({_skeleton_pattern(spec) for spec in specs})) + ")"
        for specs in entry.specs
    )


class Scan:
    """One RE2 pass over a message's skeleton for several word lists at once: which of
    them cannot match. An entry's words leave their letters, in order, doubled letters
    doubled, in the skeleton of any message the entry matches."""

    def __init__(self, matchers: Iterable[Scanned]) -> None:
        self._keys: list[int] = []
        self._set: re2.Set | None = None
        listed = list(matchers)
        self._never = frozenset(m.key for m in listed if not m.pattern)
        patterns = [(m.key, m.pattern) for m in listed if m.pattern]
        if patterns:
            options = re2.Options()
            options.log_errors = False
            options.never_capture = True
            options.max_mem = 64 << 20
            self._set = re2.Set.SearchSet(options)
            for key, pattern in patterns:
                self._set.Add(pattern.encode("utf-8"))
                self._keys.append(key)
            self._set.Compile()
        self._all = frozenset(self._keys) | self._never
        # Few combinations ever come up: each answer is made once.
        self._answers: dict[tuple[int, ...], frozenset[int]] = {}

    def ruled_out(self, skeleton: bytes | None) -> frozenset[int]:
        if skeleton is None:
            return self._never
        if self._set is None:
            return self._all
        # RE2's Set answers the indexes of the patterns found (its stubs say a bool).
        found = tuple(cast("list[int] | None", self._set.Match(skeleton)) or ())
        known = self._answers.get(found)
        if known is None:
            known = self._answers[found] = self._all - {self._keys[index] for index in found}
        return known
