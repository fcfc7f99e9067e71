"""A community's own word and regex rules.

Regular expressions run on RE2, whose matching time is linear in the message: no pattern a
moderator types (`(a+)+$` included) can stall the bot, and what RE2 cannot promise
(backreferences, lookaround) it refuses with a reason the moderator is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import re2

from cogs.netiquette.lexicon import Entry, Innocence, Matcher, Spec, Words
from cogs.netiquette.normalize import fold, tokens
from cogs.netiquette.scan import Scan

MAX_PATTERN = 500
# Memory RE2 may use for one compiled pattern; past it the pattern is refused.
_MAX_MEMORY = 8 << 20


class InvalidPattern(ValueError):
    """A moderator's regular expression that RE2 refuses; `reason` is RE2's own words."""

    def __init__(self, pattern: str, reason: str) -> None:
        super().__init__(f"{reason}: {pattern}")
        self.pattern = pattern
        self.reason = reason


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = False
    options.max_mem = _MAX_MEMORY
    return options


def compile_regex(pattern: str) -> re2._Regexp[str]:
    if len(pattern) > MAX_PATTERN:
        raise InvalidPattern(pattern, f"longer than {MAX_PATTERN} characters")
    if not pattern:
        raise InvalidPattern(pattern, "empty pattern")
    try:
        return re2.compile(pattern, options=_options())
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise InvalidPattern(pattern, str(reason).split(":", 1)[0].strip() or str(reason)) from None
    except (TypeError, ValueError) as error:
        raise InvalidPattern(pattern, str(error)) from None


def validate_regex(pattern: str) -> None:
    """Raises InvalidPattern when RE2 refuses the pattern."""
    compile_regex(pattern)


def folded_words(pattern: str) -> list[str]:
    """A word or phrase a moderator typed, as tokens; a trailing "*" keeps a stem."""
    words: list[str] = []
    for part in pattern.split():
        stem = part.endswith("*")
        found = [token.word.replace("*", "") for token in tokens(fold(part.rstrip("*")).text)]
        found = [word for word in found if word]
        if found:
            if stem:
                found[-1] += "*"
            words.extend(found)
    return words


class CustomRules:
    def __init__(self, rules: Sequence[tuple[int, str, str, str]], innocence: Innocence) -> None:
        entries: list[Entry] = []
        self._regexes: list[tuple[int, re2._Regexp[str]]] = []
        for rule_id, kind, pattern, _severity in rules:
            if kind == "word":
                words = folded_words(pattern)
                if words:
                    specs = tuple((Spec.parse(word),) for word in words)
                    entries.append(Entry(str(rule_id), specs))
            elif kind == "regex":
                try:
                    self._regexes.append((rule_id, compile_regex(pattern)))
                except InvalidPattern:
                    continue  # refused when it was added; an old row must not stop the bot
        self.entries = tuple(entries)
        self._words = Matcher(entries) if entries else None
        self._scan = Scan([self._words] if self._words else [])
        self._innocence = innocence

    def __bool__(self) -> bool:
        return self._words is not None or bool(self._regexes)

    @property
    def has_regexes(self) -> bool:
        return bool(self._regexes)

    def words_may_match(self, skeleton: bytes | None) -> bool:
        if self._words is None:
            return False
        return self._words.key not in self._scan.ruled_out(skeleton)

    def find_words(self, words: Words) -> list[tuple[int, int, int]]:
        """(rule id, first token, last token) per word rule found."""
        if self._words is None:
            return []
        return [(int(hit.category), hit.first, hit.last) for hit in self._words.hits(words)]

    def find_regexes(self, text: str, folded: str) -> list[tuple[int, int, int, bool]]:
        """(rule id, start, end, whether the span is in the folded text) per regex found:
        in the text as written, else in its folded form ("ｃｏｄｅ-1234")."""
        found: list[tuple[int, int, int, bool]] = []
        for rule_id, regex in self._regexes:
            match = regex.search(text)
            if match is not None:
                found.append((rule_id, match.start(), match.end(), False))
                continue
            if folded != text:
                match = regex.search(folded)
                if match is not None:
                    found.append((rule_id, match.start(), match.end(), True))
        return found
