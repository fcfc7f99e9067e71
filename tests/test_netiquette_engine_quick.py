"""The fast path for clean messages never changes a verdict: whatever it lets through, the
full check lets through too, with every kind of rule on and a community's own rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.netiquette.engine import (
    Checker,
    CheckerConfig,
    CustomRule,
    MessageContext,
    RuleKind,
    Thresholds,
)

_WORDS = """
idiota stupido stupid Idiot IDIOT coglione stronzo cazzo fuck shit ass class
kys KYS ti ammazzo sei un you are a loser the called me go die in fire
kill yourself trash di troia cavallo moby dick scunthorpe analisi passi
c4zz0 f*ck a$$ sh!t k1ll cogl1one c*zzo **idiota** #gen 2024 21 0 4 $ | !
ciao grazie perché città però è È più Così ÈÈÈ stupidò idïot
"""
_PIECES = st.sampled_from(
    [
        *_WORDS.split(),
        "s t u p i d",
        "S.T.U.P.I.D",
        "k y s",
        "f u c k",
        "f. u. c. k",
        "s·t·u·p·i·d",
        "idi-ot",
        "cre-ti-no",
        "stron-zo",
        "i d",
        "ot",
        "k",
        "y",
        "s",
        "_idiota_",
        "you're",
        "sei un",
        "un vero",
        "ratto",
        "rat",
        "pig",
        "brutto",
        "stuuupid",
        "іdіоt",
        "ｃｏｇｌｉｏｎｅ",
        "ｉｄｉｏｔ",
        "ⓘⓓⓘⓞⓣ",
        "id\u200biot",
        "😀",
        "’",
        "«",
        "»",
        "“",
        '"',
        ">",
        "\n",
        "?",
        ".",
        "-",
        "@everyone",
        "@here",
        "<!channel>",
        "@anna",
        "@bob",
        "@cy",
        "@dan",
        "@eve",
        "@fra",
        "<@123>",
        "discord.gg/x",
        "discord．gg/x",
        "dlscord.com/gift",
        "free nitro",
        "https://example.com/a",
        "www.spamsite.com",
        "config.py",
        "SPAMSITE.COM/x",
        "WHY IS NOBODY ANSWERING",
        "THIS IS SO LOUD",
        "OMG",
        "brutto",
        "banana",
        "mela",
    ]
)
_GLUE = st.sampled_from([" ", "  ", "", ".", "-", ", ", "\u200b", " 😀 ", "! ", "\n"])


@st.composite
def _chat(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_PIECES, min_size=1, max_size=10))
    glue = draw(st.lists(_GLUE, min_size=len(pieces), max_size=len(pieces)))
    return "".join(piece + joint for piece, joint in zip(pieces, glue, strict=True))


_DEFAULT = Checker()
_OWN = Checker(
    CheckerConfig(
        custom=[
            CustomRule(1, RuleKind.WORD, "banana"),
            CustomRule(2, RuleKind.REGEX, r"mel[ae]"),
            CustomRule(3, RuleKind.DENY_DOMAIN, "spamsite.com"),
            CustomRule(4, RuleKind.ALLOW_WORD, "troia"),
        ],
        thresholds=Thresholds(max_mentions=3, caps_min_letters=10),
    )
)


def _same(checker: Checker, text: str) -> None:
    assert checker.check(text) == checker.check(text, quick=False), text
    assert sorted(checker.verdicts(text), key=repr) == sorted(
        checker.verdicts(text, quick=False), key=repr
    ), text


@settings(max_examples=600, deadline=None)
@given(_chat())
def test_the_fast_path_never_hides_a_rule(text: str) -> None:
    _same(_DEFAULT, text)


@settings(max_examples=400, deadline=None)
@given(_chat())
def test_the_fast_path_never_hides_a_communitys_own_rule(text: str) -> None:
    _same(_OWN, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_the_fast_path_agrees_on_any_text(text: str) -> None:
    _same(_DEFAULT, text)


def test_clean_messages_still_count_for_flood_and_repeat() -> None:
    checker = Checker()
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    lines = [f"messaggio numero {n} per tutti" for n in range(8)]
    flooded = [
        checker.check(line, MessageContext("console:c:flood", start + timedelta(seconds=i)))
        for i, line in enumerate(lines)
    ]
    assert any(v is not None and v.rule == "flood" for v in flooded)
    repeated = [
        checker.check("ciao a tutti", MessageContext("console:c:rep", start + timedelta(minutes=i)))
        for i in range(0, 4)
    ]
    assert repeated[-1] is None  # a minute apart: not a repeat burst
    burst = [
        checker.check(
            "ciao a tutti", MessageContext("console:c:rep2", start + timedelta(seconds=i))
        )
        for i in range(0, 40, 12)
    ]
    assert burst[-1] is not None and burst[-1].rule == "repeat"


def test_a_community_regex_and_word_are_found_in_plain_messages() -> None:
    found = _OWN.check("mi passi una banana")
    assert found is not None and found.rule == "custom.1"
    found = _OWN.check("una mela al giorno")
    assert found is not None and found.rule == "custom.2"
    found = _OWN.check("guarda spamsite.com/offerta")
    assert found is not None and found.rule == "link.denied"
