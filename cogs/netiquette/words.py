"""The word rules: insults, vulgarity and harassment, said to someone or only reported.

A word hit is dropped when the member is plainly not the one saying it: quoting it to
report it ("mi ha scritto «sei un coglione»", a Markdown `>` quote under their own words)
or talking about the word ("is 'stupid' a bad word?", "cosa vuol dire stronzo?"); so is an
insult a member says of themselves ("sono un idiota, ho sbagliato canale"), but never a
slur. Quotes are no hiding place: "you are an 'idiot'" still says it to someone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cogs.netiquette.lexicon import Hit, Innocence, Matcher, Sections, Words
from cogs.netiquette.normalize import Token
from cogs.netiquette.quick import QuickWords
from cogs.netiquette.quotes import Quote, quote_of, quotes_in
from cogs.netiquette.scan import Scan
from cogs.netiquette.together import Hits, Together

WORD_CATEGORIES = ("insult", "vulgarity", "harassment")
# A member's mention closing the text before a word: "@bob", Discord "<@123>", Slack "<@U1>".
_MENTION_END = re.compile(r"(?:<@[!&]?\w+(?:\|[^>]*)?>|(?<![\w.])@\w[\w.-]*)$")


# A word rule's match: its category and first and last token (the lists' own hits).
WordHit = Hit


@dataclass(frozen=True, slots=True)
class _Lists:
    """The curated lists compiled, shared by every community's Checker."""

    said: Matcher
    slur: Matcher
    innocent_phrases: Matcher
    addressed: Matcher
    soft: Matcher
    person: Matcher
    address: Matcher
    meta_before: Matcher
    meta_after: Matcher
    described: Matcher
    self_before: Matcher
    self_after: Matcher
    game: Matcher
    filler: frozenset[str]
    exclamation: frozenset[str]
    reporting: frozenset[str]
    innocent: tuple[str, ...]
    scan: Scan
    together: Together
    quick: QuickWords  # every entry that can flag a message, for the fast path

    @classmethod
    def compile(cls, sections: Sections) -> _Lists:
        said = [e for c in WORD_CATEGORIES for e in sections.entries(c, c)]
        slur = sections.entries("insult.slur", "insult")
        # An adjective that insults whoever it describes ("useless mods", "gente ignorante")
        # is also an insult said to someone ("you are useless").
        described = sections.entries("insult.described", "insult")
        addressed = [*sections.entries("insult.address", "insult"), *described]
        address = sections.entries("address", "address")
        soft = sections.entries("insult.soft", "insult")
        filler = frozenset(sections.words("filler"))
        matchers = {
            "said": Matcher(said),
            "slur": Matcher(slur),
            "innocent_phrases": Matcher(sections.entries("innocent.phrase", "innocent")),
            "addressed": Matcher(addressed),
            "soft": Matcher(soft),
            "person": Matcher(sections.entries("person", "person")),
            "address": Matcher(address),
            "meta_before": Matcher(sections.entries("meta.before", "meta")),
            "meta_after": Matcher(sections.entries("meta.after", "meta")),
            "described": Matcher(described),
            "self_before": Matcher(sections.entries("self", "self")),
            "self_after": Matcher(sections.entries("self.after", "self")),
            "game": Matcher(sections.entries("game", "game")),
        }
        return cls(
            **matchers,
            filler=filler,
            exclamation=frozenset(sections.words("exclamation")),
            reporting=frozenset(sections.words("reporting")),
            innocent=tuple(sections.words("innocent")),
            scan=Scan(matchers.values(), kept_as="curated-lists"),
            together=Together([matchers[name] for name in Hits._fields]),
            # A soft word said on its own may be a vocative, and a described one may sit
            # beside a word for a person: the fast path takes both as said.
            quick=QuickWords(
                (*said, *slur, *soft, *described), tuple(addressed), tuple(address), filler
            ),
        )


_COMPILED: dict[int, tuple[Sections, _Lists]] = {}


def _lists(sections: Sections) -> _Lists:
    known = _COMPILED.get(id(sections))
    if known is None or known[0] is not sections:
        known = _COMPILED[id(sections)] = (sections, _Lists.compile(sections))
    return known[1]


class WordRules:
    """The curated lists (compiled once) with a community's own allowed words."""

    def __init__(self, sections: Sections, allowed: Iterable[str] = ()) -> None:
        lists = _lists(sections)
        self.innocence = Innocence([*lists.innocent, *allowed])
        self._said = lists.said
        self._innocent_phrases = lists.innocent_phrases
        self._addressed = lists.addressed
        self._soft = lists.soft
        self._filler = lists.filler
        self._exclamation = lists.exclamation
        self._reporting = lists.reporting
        self._scan = lists.scan
        # The lists that flag a message; the others only tell how a word was said.
        self._flagging = (lists.said.key, lists.slur.key, lists.addressed.key, lists.soft.key)
        self._together = lists.together
        self.quick = lists.quick

    def ruled_out(self, skeleton: bytes | None) -> frozenset[int]:
        """The curated matchers this message cannot match, from one scan of its skeleton."""
        return self._scan.ruled_out(skeleton)

    def may_match(self, ruled_out: frozenset[int]) -> bool:
        return not ruled_out.issuperset(self._flagging)

    def words(self, tokens: Sequence[Token], ruled_out: frozenset[int] = frozenset()) -> Words:
        words = self.innocence.words([token.word for token in tokens], ruled_out)
        for hit in self._innocent_phrases.hits(words):
            for index in range(hit.first, hit.last + 1):
                words.innocent[index] = True  # "cavallo di Troia", "Moby Dick"
        return words

    def find(self, folded: str, tokens: Sequence[Token], words: Words) -> list[WordHit]:
        read = self._together.hits(words)
        hits = list(read.said)
        addressed = read.addressed
        soft = read.soft
        if addressed or soft:
            address_ends = {hit.last for hit in read.address}
            described = {(hit.first, hit.last) for hit in read.described}
            hits += [
                h
                for h in addressed
                if self._said_to_someone(words, address_ends, h.first)
                or ((h.first, h.last) in described and self._beside_person(words, read, h))
            ]
            hits += [
                h
                for h in soft
                if self._said_to_someone(words, address_ends, h.first)
                or self._aimed(folded, tokens, read, h.first, h.last)
            ]
        if hits and (read.self_before or read.self_after):
            hits = [hit for hit in hits if not self._of_oneself(folded, tokens, words, read, hit)]
        if hits and read.game:
            # "ti ammazzo a Fortnite", "I'll destroy you at chess": a match, not a threat.
            played = {game.first for game in read.game}
            hits = [h for h in hits if h.category != "harassment" or h.last + 1 not in played]
        hits += read.slur  # a slur counts whoever it is said of
        if not hits:
            return hits
        return self._not_reported(folded, tokens, words, read, hits)

    def _of_oneself(
        self, folded: str, tokens: Sequence[Token], words: Words, read: Hits, hit: Hit
    ) -> bool:
        """An insult the member says of themselves, which offends nobody: "sono un idiota,
        ho sbagliato canale", "I'm such a moron", "che scemo che sono", "what an idiot I
        am"; never a vocative ("idiot, I am talking to you")."""
        if hit.category != "insult":
            return False
        if self._after_fillers(words, {s.last for s in read.self_before}, hit.first):
            return True
        following = hit.last + 1
        if not any(s.first == following for s in read.self_after):
            return False
        between = folded[tokens[hit.last].end : tokens[following].start]
        if between.strip():  # "idiota, che sono queste domande?" asks something else
            return False
        exclaimed = {i for i, word in enumerate(words.words) if word in self._exclamation}
        return self._after_fillers(words, exclaimed, hit.first)

    def _said_to_someone(self, words: Words, address_ends: set[int], first: int) -> bool:
        return self._after_fillers(words, address_ends, first)

    def _aimed(
        self, folded: str, tokens: Sequence[Token], read: Hits, first: int, last: int
    ) -> bool:
        """A soft word ("stupid") insults a person, not a thing ("this stupid bug"): right
        after a member's mention, before a word for a person ("stupid noob"), or called
        out on its own ("stupido, leggi le regole", "shut up, stupid", "stupid!")."""
        before = folded[: tokens[first].start].rstrip(" ,:")
        if _MENTION_END.search(before[-60:]) is not None:
            return True
        following = last + 1
        if following < len(tokens) and any(
            hit.first == following for hits in (read.person, read.addressed) for hit in hits
        ):
            return True
        after = folded[tokens[last].end :].lstrip()
        # Alone: no other word on that side, whatever else (numbers, emoji) is there.
        alone_before = first == 0
        alone_after = last == len(tokens) - 1
        if alone_before and (alone_after or after[:1] in (",", "!")):
            return True
        return alone_after and folded[: tokens[first].start].rstrip().endswith(",")

    def _beside_person(self, words: Words, read: Hits, hit: Hit) -> bool:
        """Whether a word for a person comes right before or after, but for fillers:
        "braindead guy", "moderatori proprio incapaci"."""
        if not read.person:
            return False
        if self._after_fillers(words, {person.last for person in read.person}, hit.first):
            return True
        index = hit.last + 1
        while index < len(words.words) and words.words[index] in self._filler:
            index += 1
        return any(person.first == index for person in read.person)

    def _after_fillers(self, words: Words, ends: set[int], first: int) -> bool:
        """Whether a phrase ends right before this word, but for fillers ("un", "a")."""
        index = first - 1
        while index >= 0 and index not in ends and words.words[index] in self._filler:
            index -= 1
        return index in ends

    def _not_reported(
        self,
        folded: str,
        tokens: Sequence[Token],
        words: Words,
        read: Hits,
        hits: list[WordHit],
    ) -> list[WordHit]:
        meta_ends = {hit.last for hit in read.meta_before}
        meta_starts = {hit.first for hit in read.meta_after}
        quotes = quotes_in(folded)
        if not quotes:  # nothing quoted: only a word named can be let go
            return [
                hit
                for hit in hits
                if not self._after_fillers(words, meta_ends, hit.first)
                and hit.last + 1 not in meta_starts
            ]
        quoted = [quote_of(token, quotes) for token in tokens]
        own = [i for i, quote in enumerate(quoted) if quote is None]
        cue = any(words.words[i] in self._reporting for i in own) or bool(meta_ends)
        address_ends = {hit.last for hit in read.address}
        kept: list[WordHit] = []
        for hit in hits:
            if self._after_fillers(words, meta_ends, hit.first) or hit.last + 1 in meta_starts:
                continue  # the word named: "la parola X", "X is a bad word"
            quote = quoted[hit.first]
            if quote is not None and quoted[hit.last] is quote:
                if quote.line and own:
                    continue  # a quoted line answered with the member's own words
                if (
                    not quote.line
                    and cue
                    and not self._addressed_quote(tokens, words, address_ends, quote)
                ):
                    continue
            kept.append(hit)
        return kept

    def _addressed_quote(
        self, tokens: Sequence[Token], words: Words, address_ends: set[int], quote: Quote
    ) -> bool:
        """ "you are an 'idiot'": the quote marks sit inside an insult said to someone."""
        before = [i for i, token in enumerate(tokens) if token.end <= quote.start]
        if not before:
            return False
        index = before[-1]
        while index >= 0 and index not in address_ends and words.words[index] in self._filler:
            index -= 1
        return index in address_ends


__all__ = ["WORD_CATEGORIES", "Hit", "WordHit", "WordRules"]
