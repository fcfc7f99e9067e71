"""Flood and repeat as a member meets them: the same message again among others is caught,
a talkative member who says different things is not, whichever path a message takes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cogs.netiquette.engine import Checker, CheckerConfig, MessageContext, Thresholds, Verdict
from cogs.netiquette.spam import repeat_key

_START = datetime(2026, 1, 1, 12, tzinfo=UTC)


def _posted(checker: Checker, author: str, lines: list[tuple[int, str]]) -> list[Verdict | None]:
    return [
        checker.check(text, MessageContext(author, _START + timedelta(seconds=second)))
        for second, text in lines
    ]


def test_a_repeat_among_other_messages_is_caught() -> None:
    checker = Checker()
    lines = [(0, "compra i miei NFT"), (5, "ciao"), (10, "Compra i miei NFT!"), (20, "dai")]
    assert _posted(checker, "discord:1:bob", lines) == [None] * 4
    third = checker.check(
        "COMPRA   i miei nft!!", MessageContext("discord:1:bob", _START + timedelta(seconds=30))
    )
    assert third is not None and third.rule == "repeat"
    # Someone else saying it is not bob repeating himself.
    assert _posted(checker, "discord:1:eve", [(31, "compra i miei NFT")]) == [None]


def test_a_repeat_with_accents_and_one_held_for_its_words_count_alike() -> None:
    checker = Checker()
    lines = [(0, "perché nessuno risponde?"), (10, "Perché nessuno risponde"), (20, "perche")]
    assert _posted(checker, "slack:T1:ann", lines) == [None, None, None]
    third = checker.check(
        "perché nessuno risponde!!!", MessageContext("slack:T1:ann", _START + timedelta(seconds=30))
    )
    assert third is not None and third.rule == "repeat"
    # An insult said three times is held for the insult, and the third time is a repeat too.
    verdicts = _posted(checker, "slack:T1:zed", [(40, "sei un idiota"), (41, "sei un idiota")])
    assert all(v is not None and v.rule == "insult" for v in verdicts)
    found = checker.verdicts("sei un idiota", _context("zed", 42))
    assert {v.rule for v in found} == {"insult", "repeat"}


def _context(member: str, second: int) -> MessageContext:
    return MessageContext(f"slack:T1:{member}", _START + timedelta(seconds=second))


def test_a_talkative_member_saying_different_things_is_not_flagged() -> None:
    checker = Checker()
    lines = [(second * 3, f"message number {second} about the event") for second in range(40)]
    assert _posted(checker, "discord:1:chatty", lines) == [None] * 40


def test_a_flood_is_caught_and_a_calm_pace_forgets_it() -> None:
    checker = Checker(CheckerConfig(thresholds=Thresholds(flood_messages=3, flood_seconds=5)))
    burst = _posted(checker, "console:c:fast", [(0, "uno"), (1, "due"), (2, "tre")])
    assert burst[:2] == [None, None]
    assert burst[2] is not None and burst[2].rule == "flood"
    calm = _posted(checker, "console:c:fast", [(20, "quattro"), (40, "cinque"), (60, "sei")])
    assert calm == [None, None, None]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_repeat_key_of_ascii_text_keeps_its_letters_and_digits(text: str) -> None:
    folded = text.lower()
    assert repeat_key(folded) == (re.sub(r"[\W_]+", "", folded) or folded.strip())


def test_a_repeat_is_looked_for_among_the_last_messages_only() -> None:
    # The flood keeps ten messages; a repeat of two looks at the last four.
    limits = Thresholds(flood_messages=10, flood_seconds=5, repeat_count=2, repeat_seconds=60)
    checker = Checker(CheckerConfig(thresholds=limits))
    lines = [(0, "vendo skin"), (4, "uno"), (8, "due"), (12, "tre"), (16, "quattro")]
    assert _posted(checker, "slack:T1:kim", lines) == [None] * 5
    far = checker.check("vendo skin", _context("kim", 20))
    assert far is None  # five messages back: out of the four
    near = checker.check("Vendo skin!", _context("kim", 24))
    assert near is not None and near.rule == "repeat"
