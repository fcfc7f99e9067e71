"""Response time on a scripted timeline with the console clock, and the figures' arithmetic."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from cogs.questions.stats import AskedQuestion, median, percentile, summarize, week_start
from tests.harness import TestBot

PEOPLE = (
    "join @alice",
    "join @bob",
    "join @carla",
    "join @dario",
    "join @elena",
    "join @sara as staff",
    "join @marco as moderator",
)


def minutes(count: float) -> timedelta:
    return timedelta(minutes=count)


def test_percentile_is_a_value_that_occurred_and_median_halves_evenly() -> None:
    waits = [minutes(10), minutes(30), minutes(120)]
    assert percentile(waits, 0.9) == minutes(120)
    assert percentile(waits, 0.5) == minutes(30)
    assert percentile([], 0.9) is None
    assert median(waits) == minutes(30)
    assert median([minutes(10), minutes(20)]) == minutes(15)
    assert median([]) is None
    many = [minutes(value) for value in range(1, 11)]
    assert percentile(many, 0.9) == minutes(9)


def test_weeks_start_on_monday_in_the_community_time_zone() -> None:
    # Sunday 23:30 UTC is already Monday in Rome.
    late_sunday = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert week_start(late_sunday, "Europe/Rome") == date(2026, 3, 2)
    assert week_start(late_sunday, "UTC") == date(2026, 2, 23)


def test_summary_by_week_channel_and_kind_counts_late_questions() -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
    asked = [
        AskedQuestion("generale", start, start + minutes(10), "staff"),
        AskedQuestion(
            "generale", start + timedelta(days=7), start + timedelta(days=7, hours=2), "faq"
        ),
        AskedQuestion("aiuto", start + timedelta(days=8), None, None),
    ]
    stats = summarize(
        asked,
        start,
        start + timedelta(days=14),
        timezone="Europe/Rome",
        unanswered_after=timedelta(hours=24),
        now=start + timedelta(days=14),
    )
    assert (stats.overall.asked, stats.overall.answered) == (3, 2)
    assert stats.overall.median == minutes(65)
    assert [week for week, _ in stats.by_week] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert [channel for channel, _ in stats.by_channel] == ["generale", "aiuto"]
    assert dict(stats.by_kind) == {"faq": 1, "staff": 1}
    assert stats.unanswered == 1


async def test_response_times_on_a_scripted_timeline(bot: TestBot) -> None:
    await bot.say(*PEOPLE)
    # staff answers alice's question after 10 minutes
    await bot.say("@alice: come mi iscrivo al torneo?", "advance 10m")
    await bot.say("@sara reply @alice: Dal modulo sul sito.")
    # a moderator answers bob in another channel after 30 minutes
    await bot.say("@bob in #aiuto: quando apre il server?", "advance 30m")
    await bot.say("@marco reply @bob: Alle nove.")
    # a member helps carla after 2 hours; she says it solved it an hour later
    await bot.say("@carla: dove trovo il regolamento?", "advance 2h")
    await bot.say("@dario reply @carla: Nel canale #regole.", "advance 1h")
    await bot.say("@carla reply @dario: grazie, risolto!")
    # nobody answers elena
    await bot.say("@elena: perché il bot non risponde?")
    said = await bot.advance("23h")
    assert "senza risposta" not in said
    said = await bot.advance("2h")
    assert re.search(
        r"^\[#staff\] ⏰ Domanda di elena in #generale ancora senza risposta dopo 24 ore",
        said,
        re.M,
    )
    assert "«perché il bot non risponde?»" in said and "#generale/" in said
    said = await bot.advance("2d")
    assert "senza risposta" not in said  # told once
    said = await bot.say("@sara: /questions stats")
    assert "[solo per @sara]" in said
    assert "domande: 4, con risposta: 3 · mediana 30 minuti · p90 2 ore" in said
    assert "#generale · domande: 3, con risposta: 2 · mediana 65 minuti · p90 2 ore" in said
    assert "#aiuto · domande: 1, con risposta: 1 · mediana 30 minuti · p90 30 minuti" in said
    assert "un altro membro, confermato da chi ha chiesto: 1" in said
    assert "staff o moderatori: 2" in said
    assert "senza risposta oltre il tempo d'avviso: 1" in said


async def test_a_reply_after_the_first_answer_does_not_move_the_time(bot_en: TestBot) -> None:
    await bot_en.say(*PEOPLE)
    await bot_en.say("@alice: how do I join the tournament?", "advance 5m")
    await bot_en.say("@sara reply @alice: Through the website.", "advance 3h")
    await bot_en.say("@marco reply @alice: And check the rules first.")
    said = await bot_en.say("@sara: /questions stats weeks:1")
    assert "questions: 1, answered: 1 · median 5 minutes · p90 5 minutes" in said
    said = await bot_en.say("@alice: /questions stats")
    assert "Only the" in said and "role can do this" in said


async def test_a_long_staff_answer_counts_as_an_answer(bot_en: TestBot) -> None:
    await bot_en.say(*PEOPLE)
    await bot_en.say("@alice: how do I join the tournament?", "advance 5m")
    steps = " ".join(f"Step {number}: open the page and fill in the form." for number in range(60))
    assert len(steps) > 2000
    await bot_en.say(f"@sara reply @alice: {steps}")
    said = await bot_en.say("@sara: /questions stats weeks:1")
    assert "questions: 1, answered: 1 · median 5 minutes · p90 5 minutes" in said


async def test_an_unanswered_question_is_told_after_a_restart(bot_en: TestBot) -> None:
    await bot_en.say(*PEOPLE, "@sara: /questions settings unanswered_after:2h")
    await bot_en.say("@alice: does anyone know where the rules are?")
    await bot_en.restart()
    said = await bot_en.advance("3h")
    assert "alice's question in #general is still unanswered after 2 hours" in said
    assert "[#staff]" in said


async def test_thanks_without_a_members_reply_is_no_answer(bot_en: TestBot) -> None:
    await bot_en.say(*PEOPLE)
    await bot_en.say("@alice: why is the bot silent?", "advance 1h")
    await bot_en.say("@alice reply @alice: thanks, solved")
    said = await bot_en.say("@sara: /questions stats")
    assert "questions: 1, answered: 0" in said


async def test_a_deleted_question_is_not_told_to_staff(bot: TestBot) -> None:
    await bot.say(*PEOPLE)
    await bot.say("@alice: come mi iscrivo al torneo?", "@bob: quando apre il server?")
    await bot.say("@alice delete @alice")
    said = await bot.advance("25h")
    assert "Domanda di bob" in said
    assert "Domanda di alice" not in said
