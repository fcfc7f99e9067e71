"""Word lists and the matcher that finds their entries in a stream of folded tokens.

An entry is a word or a phrase of token specs separated by spaces:
  `idiota`      the word itself (stretched letters allowed: "idiiiota")
  `coglion*`    a stem: any word that starts with it (coglione, coglioni, coglionata)
  `*fuck*`      a root anywhere inside a word (motherfucker, clusterfuck)
  `(a|b*)`      one of these;  `[un|una]` an optional token
Whole-word matching on tokens is what keeps Scunthorpe, cocktail and analisi clean; the
`[innocent]` section lists the real words a stem or root would otherwise catch.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple

from cogs.netiquette.masks import fits_mask, readable_mask, root_in_masked
from cogs.netiquette.normalize import runs, squeeze
from cogs.netiquette.scan import entry_pattern

_ENDINGS = ("", "a", "e", "i", "o", "one", "oni", "ata", "ate", "s", "er", "ers", "ing", "ed", "y")


@dataclass(frozen=True, slots=True)
class Spec:
    """One token of an entry."""

    kind: str  # "exact" | "prefix" | "infix"
    text: str
    squeezed: str
    counts: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> Spec:
        if text.startswith("*") and text.endswith("*") and len(text) > 2:
            kind, body = "infix", text[1:-1]
        elif text.endswith("*") and len(text) > 1:
            kind, body = "prefix", text[:-1]
        else:
            kind, body = "exact", text
        return cls(kind, body, squeeze(body), tuple(runs(body)))

    def matches(self, word: str, squeezed: str, counts: Sequence[int]) -> bool:
        if self.kind == "infix":
            return self._inside(squeezed, counts)
        if self.kind == "exact":
            if squeezed != self.squeezed:
                return False
            return _counts_fit(counts, self.counts, len(self.squeezed))
        if not squeezed.startswith(self.squeezed):
            return False
        return _counts_fit(counts, self.counts, len(self.squeezed), open_end=True)

    def _inside(self, squeezed: str, counts: Sequence[int]) -> bool:
        length = len(self.squeezed)
        at = squeezed.find(self.squeezed)
        while at >= 0:
            if _counts_fit(counts[at : at + length], self.counts, length, open_end=True):
                return True
            at = squeezed.find(self.squeezed, at + 1)
        return False

    def forms(self) -> Iterator[str]:
        """Whole words this spec stands for, to compare a masked word ("f*ck") with."""
        if self.kind != "exact":
            yield from (self.text + ending for ending in _ENDINGS)
        else:
            yield self.text


def _counts_fit(
    word: Sequence[int], spec: Sequence[int], length: int, *, open_end: bool = False
) -> bool:
    """Stretched letters match ("stuuupid", "idiiota"), a doubled consonant does not
    ("cullo" is not "culo"), and a long word may lose a double ("vafanculo"). A stem or a
    root may double its last letter as the word goes on ("shitty")."""
    last = length - 1
    for position in range(min(length, len(word))):
        have, need = word[position], spec[position]
        if have == need or have >= 3 or (open_end and position == last and have > need):
            continue
        if have > need or length < 6:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Entry:
    category: str
    specs: tuple[tuple[Spec, ...], ...]  # each position: its alternatives


class Hit(NamedTuple):
    category: str
    first: int  # token indexes, inclusive
    last: int


def _parse_position(text: str) -> tuple[tuple[Spec, ...], bool]:
    optional = text.startswith("[") and text.endswith("]")
    if optional or (text.startswith("(") and text.endswith(")")):
        text = text[1:-1]
    if any(bracket in text for bracket in "()[]"):
        # A group inside a group would be read as words with brackets in them, matching
        # nothing: the lists are refused at load instead.
        raise ValueError(f"a group inside a group, or one left open: {text!r}")
    return tuple(Spec.parse(part.strip()) for part in text.split("|") if part.strip()), optional


def _split_positions(line: str) -> list[str]:
    """Positions of an entry; alternatives in brackets may hold spaces: "(a b|c)"."""
    parts: list[str] = []
    depth = 0
    current = ""
    for character in line:
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        if character == " " and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += character
    if current:
        parts.append(current)
    return parts


def parse_entries(category: str, line: str) -> list[Entry]:
    """The entries a line stands for, written folded: lowercase ASCII, as the tokens are.
    Alternatives of several words ("(a quel paese|a cagare)") and optional tokens are
    spelled out into plain sequences, so matching never backtracks."""
    sequences: list[list[tuple[Spec, ...]]] = [[]]
    for part in _split_positions(line):
        specs, optional = _parse_position(part)
        choices: list[list[tuple[Spec, ...]]] = []
        single = tuple(spec for spec in specs if " " not in spec.text)
        if single:
            choices.append([single])
        for spec in specs:
            if " " in spec.text:
                choices.append([(Spec.parse(word),) for word in spec.text.split()])
        if optional:
            choices.append([])
        sequences = [sequence + choice for sequence in sequences for choice in choices]
    return [Entry(category, tuple(sequence)) for sequence in sequences if sequence]


@dataclass(slots=True)
class Sections:
    """A lexicon file: entries by section name."""

    lines: dict[str, list[str]] = field(default_factory=dict)

    def add(self, other: Sections) -> None:
        for name, lines in other.lines.items():
            self.lines.setdefault(name, []).extend(lines)

    def entries(self, section: str, category: str) -> list[Entry]:
        return [e for line in self.lines.get(section, ()) for e in parse_entries(category, line)]

    def words(self, section: str) -> list[str]:
        return [word for line in self.lines.get(section, ()) for word in line.split()]


def read_sections(text: str) -> Sections:
    sections = Sections()
    current = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]") and " " not in line and "|" not in line:
            current = line[1:-1]
            continue
        sections.lines.setdefault(current, []).append(line)
    return sections


def builtin_sections() -> Sections:
    """Both languages' curated lists: Italian communities swear in English too."""
    merged = Sections()
    folder = resources.files("cogs.netiquette").joinpath("data")
    for language in ("it", "en"):
        merged.add(read_sections(folder.joinpath(f"{language}.txt").read_text(encoding="utf-8")))
    return merged


Spelling = tuple[str, str, list[int]]  # the word, squeezed, its letters' run lengths


@functools.lru_cache(maxsize=50_000)  # by word: chat repeats its words
def _spellings(word: str) -> list[Spelling]:
    # "1" is "i" or "l": "cogl1one", "1diota", "ki11".
    spellings = [word]
    if "1" in word and word.count("1") <= 3:
        spellings = [
            "".join(choice)
            for choice in itertools.product(*(("i", "l") if c == "1" else (c,) for c in word))
        ]
    return [(v, squeeze(v), runs(v)) for v in spellings]


class Words:
    """A message's tokens, each read once: innocent or not, and the ways to spell it."""

    def __init__(
        self, words: Sequence[str], innocent: list[bool], ruled_out: frozenset[int] = frozenset()
    ) -> None:
        self.words = words
        self.innocent = innocent
        self.ruled_out = ruled_out  # matchers the message's skeleton shows cannot match

    def spellings(self, index: int) -> list[Spelling]:
        return _spellings(self.words[index])


class Innocence:
    """Real words that a stem or root would otherwise catch, and a community's own."""

    def __init__(self, words: Iterable[str]) -> None:
        self._exact: set[str] = set()
        prefixes: set[str] = set()
        for word in words:
            if word.endswith("*"):
                prefixes.add(word[:-1])
            else:
                self._exact.add(word)
        self._prefixes = prefixes
        self._lengths = sorted({len(prefix) for prefix in prefixes})
        self._known: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        known = self._known.get(word)
        if known is None:
            known = word in self._exact or any(
                word[:length] in self._prefixes for length in self._lengths
            )
            if len(self._known) >= MAX_KNOWN:
                self._known.clear()
            self._known[word] = known
        return known

    def words(self, words: Sequence[str], ruled_out: frozenset[int] = frozenset()) -> Words:
        known = self._known
        return Words(words, [known[w] if w in known else self(w) for w in words], ruled_out)


class Matcher:
    """Finds entries in a token stream; compiled once, used for every message. Before any
    token is read, one pass over the message's skeleton (see `Scan`) tells whether any
    entry could match at all. What a word can be is remembered per word, as chat repeats it.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._exact: dict[str, list[tuple[Spec, Entry]]] = {}
        self._prefix: dict[int, dict[str, list[tuple[Spec, Entry]]]] = {}
        self._infix: list[tuple[Spec, Entry]] = []
        self._known: dict[str, tuple[Entry, ...]] = {}
        self._fitting: dict[tuple[int, str], bool] = {}  # (id of a position's specs, word)
        self._by_letter: dict[str, list[tuple[str, Entry]]] | None = None
        keys: set[str] = set()
        for entry in entries:
            for spec in entry.specs[0]:
                self._index(spec, entry)
            keys.add(entry_pattern(entry))
        self._prefix_lengths = sorted(self._prefix)
        self._infixes = tuple({spec.squeezed for spec, _ in self._infix})
        self.patterns = tuple(sorted(keys))
        self.key = id(self)

    def __bool__(self) -> bool:
        return bool(self._exact or self._prefix or self._infix)

    def _forms(self) -> dict[str, list[tuple[str, Entry]]]:
        """Whole words the entries stand for, by first letter, to read masked words with."""
        if self._by_letter is None:
            self._by_letter = {}
            groups = [*self._exact.values()]
            groups += [group for d in self._prefix.values() for group in d.values()]
            groups.append(self._infix)
            for group in groups:
                for spec, entry in group:
                    for form in spec.forms():
                        self._by_letter.setdefault(form[:1], []).append((form, entry))
        return self._by_letter

    def _index(self, spec: Spec, entry: Entry) -> None:
        if spec.kind == "exact":
            self._exact.setdefault(spec.squeezed, []).append((spec, entry))
        elif spec.kind == "prefix":
            by_length = self._prefix.setdefault(len(spec.squeezed), {})
            by_length.setdefault(spec.squeezed, []).append((spec, entry))
        else:
            self._infix.append((spec, entry))

    def _first(self, words: Words, index: int) -> tuple[Entry, ...]:
        """Entries whose first token this word can be."""
        word = words.words[index]
        known = self._known.get(word)
        if known is None:
            known = tuple(dict.fromkeys(self._lookup(word, words.spellings(index))))
            if len(self._known) >= MAX_KNOWN:
                self._known.clear()
            self._known[word] = known
        return known

    def _lookup(self, word: str, spellings: list[Spelling]) -> Iterator[Entry]:
        if "*" in word:
            if not readable_mask(word):
                return
            fitting = [e for form, e in self._forms().get(word[0], ()) if fits_mask(word, form)]
            fitting += [e for spec, e in self._infix if root_in_masked(word, spec.squeezed)]
            # Members mask their swearing far more than their slurs: "f***" is read as a
            # swear word first, though "fags" fits it too.
            yield from sorted(fitting, key=lambda entry: entry.category != "vulgarity")
            return
        for spelling, squeezed, counts in spellings:
            for spec, entry in self._exact.get(squeezed, ()):
                if spec.matches(spelling, squeezed, counts):
                    yield entry
            for length in self._prefix_lengths:
                if length > len(squeezed):
                    break
                for spec, entry in self._prefix[length].get(squeezed[:length], ()):
                    if spec.matches(spelling, squeezed, counts):
                        yield entry
            if any(root in squeezed for root in self._infixes):
                for spec, entry in self._infix:
                    if spec.matches(spelling, squeezed, counts):
                        yield entry

    def _fits(self, specs: tuple[Spec, ...], words: Words, index: int) -> bool:
        return not words.innocent[index] and self.fits_word(specs, words.words[index])

    def fits_word(self, specs: tuple[Spec, ...], word: str) -> bool:
        """Whether a word that is not innocent can be one of these specs."""
        key = (id(specs), word)  # the specs live as long as the matcher: their id is theirs
        known = self._fitting.get(key)
        if known is None:
            known = (
                any(_fits_masked(spec, word) for spec in specs)
                if "*" in word
                else any(
                    spec.matches(spelling, squeezed, counts)
                    for spec in specs
                    for spelling, squeezed, counts in _spellings(word)
                )
            )
            if len(self._fitting) >= MAX_KNOWN:
                self._fitting.clear()
            self._fitting[key] = known
        return known

    def first(self, words: Words, index: int) -> tuple[Entry, ...]:
        """Entries whose first token the word at `index` can be."""
        entries = self._known.get(words.words[index])
        return self._first(words, index) if entries is None else entries

    def follows(self, entry: Entry, words: Words, index: int) -> bool:
        """Whether the entry's other tokens come after its first, the word at `index`."""
        specs = entry.specs
        return index + len(specs) <= len(words.words) and all(
            self._fits(specs[offset], words, index + offset) for offset in range(1, len(specs))
        )

    def hits(self, words: Words) -> list[Hit]:
        found: list[Hit] = []
        if self.key in words.ruled_out:
            return found
        innocent = words.innocent
        for index in range(len(words.words)):
            entries = self.first(words, index)
            if not entries or innocent[index]:
                continue
            for entry in entries:
                if self.follows(entry, words, index):
                    found.append(Hit(entry.category, index, index + len(entry.specs) - 1))
        return found


# Words whose readings are remembered; past this the memory starts again.
MAX_KNOWN = 50_000


def _fits_masked(spec: Spec, masked: str) -> bool:
    if spec.kind == "infix" and root_in_masked(masked, spec.squeezed):
        return True
    return any(fits_mask(masked, form) for form in spec.forms())
