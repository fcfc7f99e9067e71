"""The curated lists read against a message's words in one pass: each word looked up once,
the entries it may start found from a memory by word, the phrases it starts narrowed by the
word after it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from cogs.netiquette.lexicon import MAX_KNOWN, Entry, Hit, Matcher, Words

# Made from a tuple directly, past the generated constructor: every match is one.
_hit = tuple.__new__


class Hits(NamedTuple):
    """A message's hits in each list, in the order the lists are read."""

    said: list[Hit]
    slur: list[Hit]
    addressed: list[Hit]
    soft: list[Hit]
    address: list[Hit]
    person: list[Hit]
    meta_before: list[Hit]
    meta_after: list[Hit]
    described: list[Hit]
    self_before: list[Hit]
    self_after: list[Hit]
    game: list[Hit]


class Together:
    """The lists a message's words are read against, read in one pass over its words."""

    def __init__(self, matchers: Sequence[Matcher]) -> None:
        self._matchers = tuple(matchers)
        # By word: each entry it may start, with its list's place and its other tokens' count.
        self._known: dict[str, tuple[tuple[int, Matcher, Entry, int], ...]] = {}
        # By an entry's id and the words after its first: whether they are its other tokens
        # (an innocent word is no token of an entry, whatever it reads as).
        self._follows: dict[tuple[object, ...], bool] = {}
        # By a word that starts phrases and the word after it (None: no word, or an innocent
        # one): the entries it may start that the word after it can go on. "i" and "you"
        # start dozens of phrases, and the next word alone rules out most of them.
        self._pairs: dict[tuple[str, str | None], tuple[tuple[int, Matcher, Entry, int], ...]] = {}
        self._phrases: set[str] = set()  # words that may start an entry of several tokens

    def hits(self, words: Words) -> Hits:
        found: list[list[Hit]] = [[] for _ in self._matchers]
        out = words.ruled_out
        live = [m.key not in out for m in self._matchers]
        if not any(live):
            return Hits(*found)
        known = self._known
        innocent = words.innocent
        follows = self._follows
        phrases = self._phrases
        listed = words.words
        count = len(listed)
        for index, word in enumerate(listed):
            if innocent[index]:
                continue
            starts = known.get(word)
            if starts is None:
                starts = self._starts(words, index)
            if not starts:
                continue
            if word in phrases:
                starts = self._going_on(starts, word, words, index)
            for slot, matcher, entry, rest in starts:
                if not live[slot]:
                    continue
                if rest:
                    last = index + rest
                    if last >= count or True in innocent[index + 1 : last + 1]:
                        continue
                    key = (id(entry), *listed[index + 1 : last + 1])
                    fits = follows.get(key)
                    if fits is None:
                        if len(follows) >= MAX_KNOWN:
                            follows.clear()
                        fits = follows[key] = matcher.follows(entry, words, index)
                    if not fits:
                        continue
                found[slot].append(_hit(Hit, (entry.category, index, index + rest)))
        return Hits(*found)

    def _starts(self, words: Words, index: int) -> tuple[tuple[int, Matcher, Entry, int], ...]:
        starts = tuple(
            (slot, matcher, entry, len(entry.specs) - 1)
            for slot, matcher in enumerate(self._matchers)
            for entry in matcher.first(words, index)
        )
        if len(self._known) >= MAX_KNOWN:
            self._known.clear()
            self._phrases.clear()
        word = words.words[index]
        self._known[word] = starts
        if any(rest for _, _, _, rest in starts):
            self._phrases.add(word)
        return starts

    def _going_on(
        self,
        starts: tuple[tuple[int, Matcher, Entry, int], ...],
        word: str,
        words: Words,
        index: int,
    ) -> tuple[tuple[int, Matcher, Entry, int], ...]:
        """The entries this word starts, less the phrases whose second token the next word
        cannot be (in their order: of two rules on one span, the first listed wins)."""
        following = index + 1
        after = (
            words.words[following]
            if following < len(words.words) and not words.innocent[following]
            else None
        )
        key = (word, after)
        kept = self._pairs.get(key)
        if kept is None:
            kept = tuple(
                start
                for start in starts
                if not start[3]
                or (after is not None and start[1].fits_word(start[2].specs[1], after))
            )
            if len(self._pairs) >= MAX_KNOWN:
                self._pairs.clear()
            self._pairs[key] = kept
        return kept


__all__ = ["Hits", "Together"]
