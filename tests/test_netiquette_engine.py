"""The netiquette check as a moderator sees it: what is flagged, under which rule, where."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cogs.netiquette.engine import (
    Checker,
    CheckerConfig,
    CustomRule,
    MessageContext,
    RuleKind,
    Severity,
    Thresholds,
    Verdict,
)
from cogs.netiquette.lexicon import parse_entries

CHECKER = Checker()


def flagged(text: str, checker: Checker = CHECKER) -> Verdict | None:
    return checker.check(text)


def matched(text: str, checker: Checker = CHECKER) -> str:
    verdict = checker.check(text)
    assert verdict is not None, text
    start, end = verdict.span
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "rule", "span_text"),
    [
        ("sei proprio un idiota, smettila", "insult", "idiota"),
        ("siete tutti dei coglioni", "insult", "coglioni"),
        ("sei una stronza", "insult", "stronza"),
        ("you're such a moron", "insult", "moron"),
        ("ur a loser", "insult", "loser"),
        ("sei un cesso", "insult", "cesso"),
        ("che cazzo dici", "vulgarity", "cazzo"),
        ("vaffanculo", "vulgarity", "vaffanculo"),
        ("fuck off", "vulgarity", "fuck off"),
        ("stfu", "vulgarity", "stfu"),
        ("ti ammazzo", "harassment", "ti ammazzo"),
        ("uccidi te stesso", "harassment", "uccidi te stesso"),
        ("ti vengo a cercare stasera", "harassment", "ti vengo a cercare"),
        ("I know where you live", "harassment", "know where you live"),
        ("nessuno ti vuole qui, sparisci", "harassment", "nessuno ti vuole"),
        ("go away and never come back", "harassment", "go away and never come back"),
        ("you're stupid", "insult", "stupid"),
        ("ur so stoooopid", "insult", "stoooopid"),
        ("go get cancer", "harassment", "go get cancer"),
        ("@bob stupido", "insult", "stupido"),
        ("kys", "harassment", "kys"),
        ("go die in a fire", "harassment", "go die in a fire"),
        ("these useless mods again", "insult", "useless"),  # beside a word for a person
        ("what a braindead guy", "insult", "braindead"),
        ("moderatori proprio incapaci", "insult", "incapaci"),
        ("gente ignorante", "insult", "ignorante"),
        ("you are even more stupid than that", "insult", "stupid"),
        ("sei più stupido di un sasso", "insult", "stupido"),
        ("stupid staff as usual", "insult", "stupid"),
        ("you'll pay for what you did", "harassment", "you'll pay for what you did"),
        ("we know your real name now", "harassment", "we know your real name"),
        ("everybody here hates you", "harassment", "everybody here hates you"),
        ("no one will miss you", "harassment", "no one will miss you"),
        ("nobody would care if you died", "harassment", "nobody would care if you died"),
        ("the world is better without you", "harassment", "the world is better without you"),
        ("prima o poi ti becco", "harassment", "prima o poi ti becco"),
        ("ti troveremo ovunque", "harassment", "ti troveremo ovunque"),
        ("so il tuo indirizzo", "harassment", "so il tuo indirizzo"),
        ("tutti ti odiano", "harassment", "tutti ti odiano"),
        ("non mancherai a nessuno", "harassment", "non mancherai a nessuno"),
        ("me la pagherai", "harassment", "me la pagherai"),
        ("spero che ti investa un treno", "harassment", "spero che ti investa"),
        ("i'm going to beat you up", "harassment", "i'm going to beat you up"),
        ("i hope your family dies", "harassment", "hope your family dies"),
        ("people like you should be shot", "harassment", "people like you should be shot"),
        ("send me nudes", "harassment", "send me nudes"),
        ("sei un bimbominkia", "insult", "bimbominkia"),
        ("you're a waste of oxygen", "insult", "waste of oxygen"),
        ("non vali niente", "insult", "non vali niente"),
        ("i'll break your legs", "harassment", "i'll break your legs"),
        ("go back to your country", "harassment", "go back to your country"),
        ("tornatene al tuo paese", "harassment", "tornatene al tuo paese"),
        ("ti meriti di morire", "harassment", "ti meriti di morire"),
        ("spero che ti venga un infarto", "harassment", "spero che ti venga un infarto"),
    ],
)
def test_each_word_category(text: str, rule: str, span_text: str) -> None:
    verdict = flagged(text)
    assert verdict is not None and verdict.rule == rule and verdict.category == rule
    assert verdict.severity == Severity.HOLD
    assert matched(text) == span_text


@pytest.mark.parametrize(
    ("text", "span_text"),
    [
        ("c4zz0", "c4zz0"),  # leetspeak
        ("ma che c@zzo", "c@zzo"),
        ("f*ck this", "f*ck"),  # masking
        ("a$$", "a$$"),
        ("sei un cogl1one", "cogl1one"),
        ("s t u p i d", "s t u p i d"),  # spaced out
        ("s.t.u.p.i.d", "s.t.u.p.i.d"),
        ("cre-ti-no", "cre-ti-no"),
        ("stuuuupid", "stuuuupid"),  # stretched
        ("sei un іdіоtа", "іdіоtа"),  # Cyrillic look-alikes
        ("ｃｏｇｌｉｏｎｅ", "ｃｏｇｌｉｏｎｅ"),  # fullwidth
        ("ⓘⓓⓘⓞⓣ", "ⓘⓓⓘⓞⓣ"),  # circled
        ("𝐢𝐝𝐢𝐨𝐭", "𝐢𝐝𝐢𝐨𝐭"),  # mathematical bold
        ("id\u200biota", "id\u200biota"),  # a zero-width space inside
        ("sei un ìdiòta", "ìdiòta"),  # accents
        ("IDIOTA", "IDIOTA"),
        ("**idiota**", "idiota"),  # Markdown emphasis is not a mask
        ("what the f*** is this", "f***"),  # every letter but the first hidden
        ("ma che c***o dici", "c***o"),
        ("this is bullsh*t", "bullsh*t"),  # a masked root inside a longer word
        ("motherf*cker", "motherf*cker"),
        ("ʏᴏᴜ ᴀʀᴇ ᴀɴ ɪᴅɪᴏᴛ", "ɪᴅɪᴏᴛ"),  # small capitals
        ("che sτrοnzο", "sτrοnzο"),  # Greek look-alikes
    ],
)
def test_obfuscations_are_undone_and_the_span_points_at_the_original(
    text: str, span_text: str
) -> None:
    assert matched(text) == span_text


@pytest.mark.parametrize(
    "text",
    [
        "I grew up in Scunthorpe",
        "she moved from Sussex to Essex",
        "two cocktails please",
        "the assassin class is fun",
        "a classic",
        "grapes and a therapist",
        "domani ho le analisi",
        "lo stronzio è un metallo",
        "siamo allo scoglio",
        "passami la cazzuola",
        "Pirlo che regista",
        "pasta alla puttanesca",
        "che fico!",
        "che figata",
        "il cavallo di Troia",
        "il treno è in ritardo",
        "questa pizza fa schifo",  # said of a pizza, not of a person
        "this stupid bug again",  # said of a thing
        "stupido computer, si è bloccato",
        "ti vengo a prendere alle 8",  # a lift
        "I'll beat you next time",  # a game
        "my cat is fat",
        "the losers bracket starts at nine",
        "I read Moby Dick",
        "this useless update broke my save",  # said of a thing
        "i will destroy you in chess tonight",  # a game
        "un'app inutile, la disinstallo",
        "you'll pay less with the yearly plan",
        "la pagherai meno con lo sconto",
        "ti troveremo un posto in squadra",  # a place found for the member
        "everyone here loves the new map",
        "nobody will miss the old logo",
        "send me your address for the prize",
        "a*",  # too little shows to read a masked word
        "p* and q*",
        "raccogliere i funghi",
        "Alcazar",
    ],
)
def test_innocent_look_alikes_stay_clean(text: str) -> None:
    assert flagged(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "he called me 'idiot' in DMs, can a mod check?",
        "mi ha scritto «sei un coglione» in privato",
        'segnalo @marco, mi ha detto "idiota"',
        "> you are an idiot\nthis is what he sent me",
        "is 'stupid' a bad word?",
        '"cazzo" è una parolaccia?',
        "cosa vuol dire pirla?",
        "mi ha dato del cretino",
        "he called me a moron for asking",
        'he said "kys" to my friend, please ban him',
    ],
)
def test_a_member_reporting_or_discussing_a_word_is_not_the_offender(text: str) -> None:
    assert flagged(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "you are an 'idiot'",
        "sei un «cretino», te lo dico io",
        "> quoted line only: idiota",
        "idiota, ha detto lui",  # a reporting verb does not excuse an unquoted insult
    ],
)
def test_quotes_are_no_hiding_place(text: str) -> None:
    assert flagged(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "sono un idiota, ho sbagliato canale",
        "io sono scemo, scusate",
        "mi sento un cretino",
        "che scemo che sono",
        "im such an idiot lol",
        "my bad, I am a moron",
        "I feel like a complete idiot",
        "what an idiot I was",
    ],
)
def test_an_insult_a_member_says_of_themselves_offends_nobody(text: str) -> None:
    assert flagged(text) is None


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        ("stasera ti ammazzo a fortnite", None),
        ("I'm gonna kill you in the finals lol", None),
        ("ti ammazzo a calci", "ti ammazzo"),  # not a game
        ("I will kill you in your sleep", "I will kill you"),
    ],
)
def test_a_threat_in_a_game_is_the_game_s_talk(text: str, threat: str | None) -> None:
    verdict = flagged(text)
    said = None if verdict is None else text[verdict.span[0] : verdict.span[1]]
    assert said == threat


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("idiot, I am talking to you", "idiot"),  # a vocative, then "I am"
        ("idiota, che sono queste domande?", "idiota"),
        ("sono dei coglioni", "coglioni"),  # "sono": they are
        ("questi sono un branco di idioti", "idioti"),
        ("I am surrounded by idiots", "idiots"),
        ("io sono circondato da coglioni", "coglioni"),
        ("what an idiot you are", "idiot"),
        ("che idiota che sei", "idiota"),
        ("im such a retard", "retard"),  # a slur counts whoever it describes
        ("sono un frocio", "frocio"),
    ],
)
def test_an_insult_of_others_or_a_slur_of_oneself_still_counts(text: str, word: str) -> None:
    verdict = flagged(text)
    assert verdict is not None and verdict.category == "insult"
    assert text[verdict.span[0] : verdict.span[1]] == word


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("join us discord.gg/abc123", "link.invite"),
        ("https://discord.com/invite/Qw3rTy", "link.invite"),
        ("https://join.slack.com/t/team/shared_invite/abc", "link.invite"),
        ("free nitro at https://dlscord-gift.com/claim", "link.scam"),
        ("trade me at steamcommunlty.com/tradeoffer", "link.scam"),
        ("stearncommunity.com/gift", "link.scam"),
        ("Nitro gratis: discord-nitro.ru/free", "link.scam"),
    ],
)
def test_links(text: str, rule: str) -> None:
    verdict = flagged(text)
    assert verdict is not None and verdict.rule == rule and verdict.category == "links"


@pytest.mark.parametrize(
    "text",
    [
        "the guide is at https://wiki.example.org/guide",
        "open config.py and settings.json",
        "mail me at jo@example.com",
        "the official https://discord.com/developers docs",
        "e.g. this one",
    ],
)
def test_ordinary_links_and_dotted_words_pass(text: str) -> None:
    assert flagged(text) is None


def test_denied_and_allowed_domains_and_the_new_member_limit() -> None:
    checker = Checker(
        CheckerConfig(
            custom=(
                CustomRule(1, RuleKind.DENY_DOMAIN, "bad.example", Severity.WARN),
                CustomRule(2, RuleKind.ALLOW_DOMAIN, "discord.gg"),
            )
        )
    )
    denied = checker.check("see https://www.bad.example/page and sub.bad.example")
    assert denied is not None and denied.rule == "link.denied" and denied.severity == "warn"
    assert checker.check("our own server: discord.gg/ours") is None
    newcomer = MessageContext("console:c:new", datetime(2026, 1, 1, tzinfo=UTC), True)
    verdict = checker.check("look at https://example.com", newcomer)
    assert verdict is not None and verdict.rule == "link.new_member"
    assert checker.check("look at https://example.com") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WHY DOES NOBODY EVER ANSWER IN THIS SERVER", "shouting"),
        ("OMG YES", None),
        ("GG WP", None),
        ("HAPPY BIRTHDAY", None),
        ("@everyone look", "mentions"),
        ("<!channel> deploy now", "mentions"),
        ("<!here>", "mentions"),
        ("<@1> <@2> <@3> <@4> <@5> <@6> answer", "mentions"),
        ("<@U1> <@U2> <@U3> <@U4> <@U5> <@U6>", "mentions"),
        ("@anna @bob @cy let's go", None),
        ("write to me@example.com", None),
    ],
)
def test_shouting_and_mentions(text: str, expected: str | None) -> None:
    verdict = flagged(text)
    assert (verdict.rule if verdict else None) == expected
    if expected == "shouting":
        assert verdict is not None and verdict.severity == Severity.WARN


def test_flood_and_repeat_need_a_context_and_forget_old_messages() -> None:
    checker = Checker(CheckerConfig(thresholds=Thresholds(flood_messages=4, flood_seconds=5)))
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    alice = [MessageContext("console:c:alice", start + timedelta(seconds=i)) for i in range(4)]
    assert [checker.check(f"message {i}", alice[i]) for i in range(3)] == [None] * 3
    flood = checker.check("message 3", alice[3])
    assert flood is not None and flood.rule == "flood"
    later = MessageContext("console:c:alice", start + timedelta(minutes=5))
    assert checker.check("calm again", later) is None
    bob = "console:c:bob"
    texts = ["buy my stuff!", "Buy my stuff", "buy  my stuff!!"]
    verdicts = [
        checker.check(t, MessageContext(bob, start + timedelta(seconds=20 * i)))
        for i, t in enumerate(texts)
    ]
    assert verdicts[:2] == [None, None]
    assert verdicts[2] is not None and verdicts[2].rule == "repeat"
    assert checker.check("buy my stuff!") is None  # no context: no window


def test_custom_rules_severities_and_switched_off_categories() -> None:
    checker = Checker(
        CheckerConfig(
            custom=(
                CustomRule(7, RuleKind.WORD, "pineapple pizza", Severity.LOG),
                CustomRule(8, RuleKind.REGEX, r"\bcode-\d{4}\b", Severity.WARN),
                CustomRule(9, RuleKind.ALLOW_WORD, "pirla"),
            ),
            severities={"vulgarity": Severity.WARN},
            disabled=frozenset({"shouting"}),
        )
    )
    word = checker.check("I love PINE4PPLE  pizza")
    assert word is not None and word.rule == "custom.7" and word.severity == Severity.LOG
    regex = checker.check("my voucher is CODE-1234")
    assert regex is not None and regex.rule == "custom.8" and regex.span == (14, 23)
    assert checker.check("sei un pirla") is None
    vulgar = checker.check("che cazzo")
    assert vulgar is not None and vulgar.severity == Severity.WARN
    assert checker.check("WHY DOES NOBODY EVER ANSWER IN THIS SERVER") is None


def test_the_most_severe_verdict_wins_then_the_first() -> None:
    checker = Checker(CheckerConfig(severities={"vulgarity": Severity.LOG}))
    verdict = checker.check("cazzo, sei un idiota e un cretino")
    assert verdict is not None and verdict.rule == "insult"
    assert "cazzo, sei un idiota e un cretino"[slice(*verdict.span)] == "idiota"


def test_a_rebuilt_checker_keeps_the_flood_windows_it_is_given() -> None:
    limits = Thresholds(flood_messages=3, flood_seconds=10)
    old = Checker(CheckerConfig(thresholds=limits))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for second in range(2):
        assert old.check("hi", MessageContext("c:x", start + timedelta(seconds=second))) is None
    new = Checker(
        CheckerConfig(thresholds=limits, severities={"flood": Severity.WARN}), windows=old.windows
    )
    verdict = new.check("hi again", MessageContext("c:x", start + timedelta(seconds=2)))
    assert verdict is not None and verdict.rule == "flood" and verdict.severity == Severity.WARN


_PHRASES = [
    ("i will find the bug", "i will find you"),
    ("i found out where the bug is", "I found out where you live"),
    ("ti amo", "ti ammazzo"),
    ("kill the process", "kill yourself"),
]


@pytest.mark.parametrize(("innocent", "phrase"), _PHRASES)
def test_a_phrase_is_told_by_the_words_after_its_first(innocent: str, phrase: str) -> None:
    """A word that starts many phrases ("i", "ti", "kill") is remembered with the word
    after it: the same first word in one message is read anew each time it comes."""
    checker = Checker()
    assert checker.check(innocent) is None
    found = checker.check(f"{innocent}, {phrase}")
    assert found is not None and found.span[1] == len(innocent) + 2 + len(phrase)
    assert checker.check(f"{innocent}, {innocent}") is None


def test_a_word_masked_to_its_first_letter_reads_as_the_swear_word() -> None:
    # "f***" fits "fags" as well as "fuck": members mask their swearing, not their slurs.
    verdict = flagged("what the f*** is this")
    assert verdict is not None and verdict.rule == "vulgarity"
    assert matched("what the f*** is this") == "f***"


def test_a_group_inside_a_group_is_refused_when_the_lists_load() -> None:
    # It would be read as words with brackets in them, and match nothing.
    with pytest.raises(ValueError, match="group inside a group"):
        parse_entries("insult", "(lowlife|waste of (space|air))")
    assert len(parse_entries("insult", "(waste|loss) of [my] (time|space)")) == 2  # with, without
