"""Folding text and moderators' regular expressions: properties that must hold for any input."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.netiquette.engine import (
    Checker,
    CheckerConfig,
    CustomRule,
    InvalidPattern,
    RuleKind,
    Verdict,
    validate_regex,
)
from cogs.netiquette.normalize import fold, normalize, tokens

# Letters of every script, marks, invisible characters and symbols, as members type them.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalization_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=120))
def test_plain_text_has_the_words_the_token_pattern_finds(text: str) -> None:
    """ASCII text is cut into words without the token pattern; the same words, at the same
    places, as where the pattern reads them (a trailing emoji sends the text to it)."""
    folded = text.lower()
    assert tokens(folded) == tokens(folded + " 😀")


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_every_folded_character_points_back_into_the_original(text: str) -> None:
    folded = fold(text)
    for token in tokens(folded.text):
        start, end = folded.source_span(token.start, token.end, len(text))
        assert 0 <= start <= end <= len(text)
    if folded.origin is not None:
        assert len(folded.origin) == len(folded.text)
        assert list(folded.origin) == sorted(folded.origin)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_the_check_never_raises_and_spans_fit_the_message(text: str) -> None:
    verdict = Checker().check(text)
    if verdict is not None:
        start, end = verdict.span
        assert 0 <= start <= end <= len(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＡＢＣ", "abc"),
        ("Ⓐⓑⓒ", "abc"),
        ("𝐀𝐁𝐂", "abc"),
        ("аео", "aeo"),  # Cyrillic
        ("ΑΒΕ", "abe"),  # Greek capitals
        ("ʏᴏᴜ ᴀʀᴇ ɢʀᴇᴀᴛ", "you are great"),  # small capitals
        ("ιδιοτ κτε", "idiot kte"),  # Greek look-alikes the confusables pair with no Latin
        ("вкмнт", "bkmht"),  # Cyrillic ones
        ("ΙDΙΟΤ", "idiot"),  # a capital iota is a capital I, not a lowercase l
        ("perché è così", "perche e cosi"),
        ("a\u200bb\u200dc\u00adz", "abcz"),
        ("Straße", "strasse"),
    ],
)
def test_folding(text: str, folded: str) -> None:
    assert normalize(text) == folded


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(a", "missing )"),
        ("(?<=a)b", "invalid perl operator"),
        (r"(a)\1", "invalid escape sequence"),
        ("a{2,1}", "invalid repetition size"),
        ("", "empty pattern"),
    ],
)
def test_an_invalid_pattern_is_refused_with_re2s_reason(pattern: str, reason: str) -> None:
    with pytest.raises(InvalidPattern) as refused:
        validate_regex(pattern)
    assert reason in refused.value.reason


def _time_check(checker: Checker, text: str, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        checker.check(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(a*)*b", "(.*a){12}"])
def test_a_catastrophic_pattern_stays_linear(pattern: str) -> None:
    checker = Checker(CheckerConfig(custom=(CustomRule(1, RuleKind.REGEX, pattern),)))
    short = "a" * 100 + "!"
    long = "a" * 10_000 + "!"  # 100 times longer
    _time_check(checker, long, 2)  # warm up
    short_time = _time_check(checker, short, 100)
    long_time = _time_check(checker, long, 100)
    # Linear time makes the long input cost about 100× the short one; a backtracking
    # engine would not finish the long one at all.
    assert long_time / short_time < 1_000


# Pieces of chat to build messages from: rule words, innocent look-alikes, everyday words,
# and the tricks members use between and inside them.
_PIECES = st.sampled_from(
    [
        "idiota",
        "idiot",
        "stronzo",
        "stronzio",
        "cazzo",
        "cazzuola",
        "fuck",
        "shit",
        "ass",
        "class",
        "kys",
        "ti",
        "ammazzo",
        "sei",
        "un",
        "you",
        "are",
        "a",
        "loser",
        "cesso",
        "the",
        "word",
        "called",
        "me",
        "scunthorpe",
        "cocktail",
        "analisi",
        "c4zz0",
        "f*ck",
        "s t u p i d",
        "cre-ti-no",
        "stuuupid",
        "іdіоt",
        "ｃｏｇｌｉｏｎｅ",
        "😀",
        "«",
        "»",
        "'",
        '"',
        ">",
        "\n",
        "!",
        "?",
        ".",
        "-",
        "@everyone",
        "discord.gg/x",
        "die",
        "in",
        "fire",
        "go",
        "kill",
        "yourself",
        "trash",
        "di",
        "troia",
        "cavallo",
        "moby",
        "dick",
        "0",
        "4",
        "$",
        "!!",
        "|",
        "7",
        "2024",
        "a$$",
        "sh!t",
        "21",
        "#gen",
        "**",
        "*",
        "%",
        "k1ll",
        "**idiota**",
        "cogl1one",
        "c*zzo",
    ]
)
_GLUE = st.sampled_from([" ", "  ", "", ".", "-", ", ", "\u200b", " 😀 "])


@st.composite
def _chat(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_PIECES, min_size=1, max_size=8))
    glue = draw(st.lists(_GLUE, min_size=len(pieces), max_size=len(pieces)))
    return "".join(piece + joint for piece, joint in zip(pieces, glue, strict=True))


@settings(max_examples=400, deadline=None)
@given(_chat())
def test_the_quick_skeleton_scan_never_hides_a_match(text: str) -> None:
    """A "1" makes the check read every word (it may be an "i" or an "l"): the verdict must
    be the one the quick scan of the message's letters led to."""
    checker = Checker()
    quick = checker.check(text)
    thorough = checker.check(text + " 1")
    if quick is not None and quick.category == "shouting":
        return  # spans the whole message, which grew
    assert _seen(quick) == _seen(thorough)


def _seen(verdict: Verdict | None) -> tuple[str, tuple[int, int]] | None:
    return (verdict.rule, verdict.span) if verdict is not None else None


def _words(count: int, seed: int) -> str:
    letters = "abcdefghilmnoprstuvz"
    state = seed
    words = []
    for _ in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        words.append("".join(letters[(state >> shift) % 20] for shift in range(0, 15, 3)))
    return " ".join(words)


@pytest.mark.parametrize("mask", ["", "*"])
def test_a_long_message_costs_in_proportion_to_its_length(mask: str) -> None:
    """Slack allows 40,000 characters: a check of a message 100 times longer must cost
    about 100 times more, never its square (new words each time, nothing remembered)."""
    checker = Checker()
    short = [_words(20, seed).replace("a", f"a{mask}") for seed in range(50)]
    long = _words(2000, 99).replace("a", f"a{mask}")
    start = time.perf_counter()
    for text in short:
        checker.check(text)
    short_time = (time.perf_counter() - start) / len(short)
    start = time.perf_counter()
    checker.check(long)
    long_time = time.perf_counter() - start
    assert long_time / short_time < 1_000
