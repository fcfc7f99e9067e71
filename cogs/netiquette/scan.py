"""The quick look at a message before its words are read.

A message's skeleton (`normalize.skeleton`) is its letters run together. Each entry of a
word list becomes a pattern of the letters it leaves there, and one pass of all of them
(a Hyperscan set, `pattern_set.py`: linear in the message however many entries) tells which
word lists cannot match at all. Most messages stop here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import re2

from cogs.netiquette.normalize import squeeze
from cogs.netiquette.pattern_set import PatternSet

if TYPE_CHECKING:
    from cogs.netiquette.lexicon import Entry, Spec


class Scanned(Protocol):
    """A word list as the scan sees it: a key and the pattern of each of its entries."""

    @property
    def key(self) -> int: ...

    @property
    def patterns(self) -> tuple[str, ...]: ...


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
    # emoji) in between. A wider gap would make the set's automata far larger.
    return "[^a-z]*".join(
        "(?:" + "|".join(sorted({_skeleton_pattern(spec) for spec in specs})) + ")"
        for specs in entry.specs
    )


class Scan:
    """One pass over a message's skeleton for several word lists at once: which of them
    cannot match. An entry's words leave their letters, in order, doubled letters doubled,
    in the skeleton of any message the entry matches."""

    def __init__(self, matchers: Iterable[Scanned], kept_as: str | None = None) -> None:
        """`kept_as`: the name the compiled set is kept under (see pattern_set.py)."""
        listed = list(matchers)
        self._never = frozenset(m.key for m in listed if not m.patterns)
        # Each entry a pattern of its own, answering for its list's key.
        self._keys = [m.key for m in listed for _ in m.patterns]
        patterns = [pattern for m in listed for pattern in m.patterns]
        self._set = PatternSet(patterns, kept_as) if patterns else None
        self._all = frozenset(self._keys) | self._never
        # Few combinations ever come up: each answer is made once.
        self._answers: dict[frozenset[int], frozenset[int]] = {}

    def ruled_out(self, skeleton: bytes | None) -> frozenset[int]:
        if skeleton is None:
            return self._never
        if self._set is None:
            return self._all
        keys = self._keys
        found = frozenset(keys[index] for index in self._set(skeleton))
        known = self._answers.get(found)
        if known is None:
            known = self._answers[found] = self._all - found
        return known
