"""The netiquette check: one message in, the rule it breaks (if any) out.

A Checker is compiled once from a community's rules and reused for every message; the bot
and `python -m bot netiquette check` call the same `Checker.check`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cogs.netiquette import custom, pattern_set, quick, spam
from cogs.netiquette.lexicon import Sections, builtin_sections
from cogs.netiquette.links import LinkRules, may_hold_link
from cogs.netiquette.normalize import fold, skeleton, tokens
from cogs.netiquette.quick import QuickScan, QuickWords
from cogs.netiquette.words import WordRules


class Severity(StrEnum):
    HOLD = "hold"  # hidden until a moderator decides
    WARN = "warn"  # the author is warned, the message stays
    LOG = "log"  # only recorded


class RuleKind(StrEnum):
    WORD = "word"
    REGEX = "regex"
    DENY_DOMAIN = "deny_domain"
    ALLOW_DOMAIN = "allow_domain"
    ALLOW_WORD = "allow_word"


CATEGORIES = (
    "insult",
    "vulgarity",
    "harassment",
    "links",
    "shouting",
    "flood",
    "repeat",
    "mentions",
    "custom",
)
# Every built-in category holds for review, except shouting: loud is rude, not harmful.
DEFAULT_SEVERITIES: Mapping[str, Severity] = {
    **{category: Severity.HOLD for category in CATEGORIES},
    "shouting": Severity.WARN,
}
_RANK = {Severity.HOLD: 0, Severity.WARN: 1, Severity.LOG: 2}
_WORD_CATEGORIES = frozenset({"insult", "vulgarity", "harassment"})
_ALL_OUT: frozenset[int] = frozenset()
_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class CustomRule:
    id: int
    kind: RuleKind
    pattern: str
    severity: Severity = Severity.HOLD


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str  # a stable id: "insult", "link.invite", "custom.12", … (see the cog's catalog)
    category: str
    severity: Severity
    span: tuple[int, int]  # offsets into the original text


@dataclass(frozen=True, slots=True)
class MessageContext:
    author_key: str  # platform:community:member, for the flood and repeat windows
    at: datetime
    is_new_member: bool = False  # joined less than the link-limit window ago


@dataclass(slots=True)
class Thresholds:
    caps_min_letters: int = 20
    caps_ratio: float = 0.8
    flood_messages: int = 6
    flood_seconds: float = 10.0
    repeat_count: int = 3
    repeat_seconds: float = 60.0
    max_mentions: int = 5
    new_member_links: int = 0


@dataclass(slots=True)
class CheckerConfig:
    custom: Sequence[CustomRule] = ()
    severities: Mapping[str, Severity] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    thresholds: Thresholds = field(default_factory=Thresholds)


InvalidPattern = custom.InvalidPattern
validate_regex = custom.validate_regex

_SECTIONS: Sections | None = None
_QUICK: dict[bool, QuickScan] = {}


def _builtin() -> Sections:
    global _SECTIONS
    if _SECTIONS is None:
        _SECTIONS = builtin_sections()
    return _SECTIONS


def warm_up(kept_in: Path | None = None) -> None:
    """Compile the curated lists now (seconds; milliseconds from files kept in `kept_in`,
    see pattern_set.py) rather than on the first message a community posts, which would
    wait for it."""
    if kept_in is not None:
        pattern_set.keep_in(kept_in)
    Checker()


class Checker:
    def __init__(
        self, config: CheckerConfig | None = None, *, windows: spam.Windows | None = None
    ) -> None:
        """`windows`: the flood and repeat memory of the Checker this one replaces, so a
        change of rules does not give a flooder a fresh start."""
        self.config = config = config if config is not None else CheckerConfig()
        rules = list(config.custom)
        allowed_words = [
            word
            for rule in rules
            if rule.kind == RuleKind.ALLOW_WORD
            for word in custom.folded_words(rule.pattern)
        ]
        self._words = WordRules(_builtin(), allowed_words)
        self._custom = custom.CustomRules(
            [(r.id, r.kind.value, r.pattern, r.severity.value) for r in rules],
            self._words.innocence,
        )
        self._links = LinkRules(
            [(r.id, r.pattern) for r in rules if r.kind == RuleKind.DENY_DOMAIN],
            [r.pattern for r in rules if r.kind == RuleKind.ALLOW_DOMAIN],
        )
        self._severity_of_rule = {r.id: r.severity for r in rules}
        self._severities = {**DEFAULT_SEVERITIES, **config.severities}
        self._on = frozenset(CATEGORIES) - config.disabled
        self._word_rules = bool(self._on & _WORD_CATEGORIES)
        self._custom_on = "custom" in self._on and bool(self._custom)
        self._links_on = "links" in self._on
        self._mentions_on = "mentions" in self._on
        self._shouting_on = "shouting" in self._on
        self.windows = windows if windows is not None else spam.Windows()
        self._curated_quick = self._curated_scan()
        # A community's own words in a small Set of their own: a change of them compiles
        # only theirs, in milliseconds, not the curated lists again (a third of a second).
        own = self._custom.entries if self._custom_on else ()
        self._own_quick = QuickScan([QuickWords(tuple(own))]) if own else None
        self._custom_regexes = self._custom_on and self._custom.has_regexes
        limits = config.thresholds
        self._caps_letters = limits.caps_min_letters if self._shouting_on else 1 << 62
        self._caps_needed = limits.caps_min_letters * limits.caps_ratio
        self._noise_rules = spam.Noise(
            spam.Limit(limits.flood_messages, timedelta(seconds=limits.flood_seconds))
            if "flood" in self._on
            else None,
            spam.Limit(limits.repeat_count, timedelta(seconds=limits.repeat_seconds))
            if "repeat" in self._on
            else None,
        )
        self._windows_on = "flood" in self._on or "repeat" in self._on

    def _curated_scan(self) -> QuickScan:
        """The curated entries' Set, compiled once for the process."""
        known = _QUICK.get(self._word_rules)
        if known is None:
            known = _QUICK[self._word_rules] = QuickScan(
                [self._words.quick] if self._word_rules else [], kept_as="curated-quick"
            )
        return known

    def _certainly_clean(self, text: str, new_member: bool = False) -> bool:
        """The fast path (see quick.py): False sends the message to the full check. The
        cheapest test of each rule comes first, so a plain message costs a few `in`s."""
        plain = text if text.isascii() else quick.ascii_fold(text)
        if "." in plain and self._links_on and may_hold_link(plain):
            limit = self.config.thresholds.new_member_links
            if self._links.find(plain.lower(), new_member=new_member, limit=limit):
                return False
        if ("@" in text or "<!" in text) and self._mentions_on:
            most = self.config.thresholds.max_mentions
            if spam.broadcast(text) or spam.too_many_mentions(text, most):
                return False
        if self._custom_regexes and (
            plain is not text or self._custom.find_regexes(text, text.lower())
        ):
            return False
        encoded = plain.encode("ascii")
        # Too few capitals to be shouting: one translate counts them.
        if len(text) >= self._caps_letters and (
            len(encoded) - len(encoded.translate(None, _UPPER)) >= self._caps_needed
        ):
            return False
        if not self._curated_quick.words_clean(plain, encoded):
            return False
        return self._own_quick is None or self._own_quick.words_clean(plain, encoded)

    def check(
        self, text: str, context: MessageContext | None = None, *, quick: bool = True
    ) -> Verdict | None:
        """The most severe rule the message breaks (HOLD > WARN > LOG), the first in the
        text on a tie; flood and repeat only with a context, which they remember.
        `quick=False` skips the fast path (to test that it changes nothing)."""
        if quick:
            if self._certainly_clean(text, context is not None and context.is_new_member):
                if context is None or not self._windows_on:
                    return None
                # A clean message still counts in its author's windows.
                noise = self.windows.post(
                    context.author_key, context.at, text, None, self._noise_rules
                )
                if not noise:
                    return None
                return self._best([self._spam_verdict(rule, text) for rule in noise])
            quick = False  # the fast path said no: do not ask it again
        found = self.verdicts(text, context, quick=quick)
        return self._best(found) if found else None

    @staticmethod
    def _best(found: list[Verdict]) -> Verdict:
        if len(found) == 1:  # the usual case: one rule broken
            return found[0]
        best = min(found, key=lambda v: (_RANK[v.severity], v.span[0], -v.span[1]))
        start, end = best.span
        # Overlapping matches of one rule read as one: "go die" + "die in a fire".
        for other in sorted(found, key=lambda v: v.span):
            if other.rule == best.rule and other.span[0] <= end and other.span[1] > end:
                end = other.span[1]
        return best if end == best.span[1] else replace(best, span=(start, end))

    def verdicts(
        self, text: str, context: MessageContext | None = None, *, quick: bool = True
    ) -> list[Verdict]:
        """Every rule the message breaks, for a moderator who asks why."""
        found: list[Verdict] = []
        new_member = context is not None and context.is_new_member
        if quick and self._certainly_clean(text, new_member):
            if context is not None and self._windows_on:
                found += [
                    self._spam_verdict(rule, text) for rule in self._noise(text, None, context)
                ]
            return found
        folded = fold(text)
        limits = self.config.thresholds
        on = self._on

        def add(rule: str, category: str, start: int, end: int, *, mapped: bool) -> None:
            span = folded.source_span(start, end, len(text)) if mapped else (start, end)
            found.append(Verdict(rule, category, self._severities[category], span))

        letters = skeleton(folded.text)
        ruled_out = self._words.ruled_out(letters) if self._word_rules else _ALL_OUT
        said = self._word_rules and self._words.may_match(ruled_out)
        custom_on = self._custom_on
        own_words = custom_on and self._custom.words_may_match(letters)
        if said or own_words:
            stream = tokens(folded.text)
            words = self._words.words(stream, ruled_out)
            hits = self._words.find(folded.text, stream, words) if said else []
            for hit in hits:
                if hit.category in on:
                    first, last = stream[hit.first], stream[hit.last]
                    add(hit.category, hit.category, first.start, last.end, mapped=True)
            for rule_id, first_index, last_index in (
                self._custom.find_words(words) if own_words else ()
            ):
                first, last = stream[first_index], stream[last_index]
                span = folded.source_span(first.start, last.end, len(text))
                severity = self._severity_of_rule[rule_id]
                found.append(Verdict(f"custom.{rule_id}", "custom", severity, span))
        if custom_on:
            for rule_id, start, end, on_folded in self._custom.find_regexes(text, folded.text):
                span = folded.source_span(start, end, len(text)) if on_folded else (start, end)
                severity = self._severity_of_rule[rule_id]
                found.append(Verdict(f"custom.{rule_id}", "custom", severity, span))
        if self._links_on:
            for link in self._links.find(
                folded.text, new_member=new_member, limit=limits.new_member_links
            ):
                span = folded.source_span(link.start, link.end, len(text))
                severity = (
                    self._severity_of_rule[link.denied_by]
                    if link.denied_by is not None
                    else self._severities["links"]
                )
                found.append(Verdict(link.rule, "links", severity, span))
        if self._mentions_on:
            mention = spam.broadcast(text) or spam.too_many_mentions(text, limits.max_mentions)
            if mention is not None:
                add("mentions", "mentions", *mention, mapped=False)
        if self._shouting_on and spam.shouting(text, limits.caps_min_letters, limits.caps_ratio):
            add("shouting", "shouting", 0, len(text), mapped=False)
        if context is not None and self._windows_on:
            found += [
                self._spam_verdict(rule, text) for rule in self._noise(text, folded.text, context)
            ]
        return found

    def _noise(self, text: str, folded: str | None, context: MessageContext) -> tuple[str, ...]:
        """Flood and repeat, from the author's window; `folded` is None on the fast path."""
        return self.windows.post(context.author_key, context.at, text, folded, self._noise_rules)

    def _spam_verdict(self, rule: str, text: str) -> Verdict:
        return Verdict(rule, rule, self._severities[rule], (0, len(text)))


__all__ = [
    "CATEGORIES",
    "DEFAULT_SEVERITIES",
    "Checker",
    "CheckerConfig",
    "CustomRule",
    "InvalidPattern",
    "MessageContext",
    "RuleKind",
    "Severity",
    "Thresholds",
    "Verdict",
    "validate_regex",
    "warm_up",
]
