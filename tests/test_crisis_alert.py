"""The crisis alert on the console: a burst of complaints alerts staff within minutes, the
alert is updated rather than posted again, and a last update says it is over."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.console.platform import COMMUNITY_ID
from bot.core.model import Community
from bot.core.reports import ReportPeriod
from tests.crisis_support import (
    ALERT,
    CHAT,
    COMPLAINTS,
    OVER,
    alerts_posted,
    complain_for,
    crowd,
)
from tests.harness import TestBot, running_bot


@pytest.mark.parametrize("language", ["it", "en"])
async def test_a_spike_alerts_staff_within_five_minutes_then_updates_then_ends(
    language: str, tmp_path: Path
) -> None:
    async with running_bot(tmp_path / "ponte.db", language) as bot:
        await _spike_to_calm(bot, language)


async def _spike_to_calm(bot: TestBot, language: str) -> None:
    await crowd(bot)
    said = await complain_for(bot, language, 5)
    assert alerts_posted(said, language) == 1
    assert "#staff" in said and ("@staff" in said or "@Staff" in said)
    # A few short excerpts and the channel they came from.
    assert COMPLAINTS[language][0] in said and "#general" in said
    said = await complain_for(bot, language, 5)
    assert alerts_posted(said, language) == 0, "updated, not posted again"
    assert "✎" in said and ALERT[language] in said
    calm = ""
    for _minute in range(25):
        calm += await bot.advance("1m") + "\n"
    assert OVER[language] not in calm, "not over before the cooldown"
    for _minute in range(25):
        calm += await bot.advance("1m") + "\n"
    assert calm.count(OVER[language]) == 2  # the ping and the card's title, in one edit
    assert "✎" in calm.split(OVER[language])[0].rsplit("\n", 1)[-1]
    after = ""
    for _minute in range(5):
        after += await bot.advance("1m") + "\n"
    assert ALERT[language] not in after and OVER[language] not in after, "over means over"


async def test_alert_opens_within_the_window_of_the_first_complaint(bot: TestBot) -> None:
    await crowd(bot)
    said = await complain_for(bot, "it", 5)
    assert alerts_posted(said, "it") == 1
    assert said[: said.index(ALERT["it"])].count("⏱") < 5  # minutes since the first one


async def test_a_busy_normal_evening_raises_nothing(bot: TestBot) -> None:
    await crowd(bot)
    said = ""
    # An hour and a half of lively chat, with the odd complaint as on any evening.
    for minute in range(90):
        lines = [CHAT["it"][(minute + turn) % 4] for turn in range(4)]
        if minute % 6 == 0:
            lines[0] = COMPLAINTS["it"][minute % 8]
        for turn, line in enumerate(lines):
            said += await bot.say(f"@m{(minute + turn) % 12} in #general: {line}") + "\n"
        said += await bot.advance("1m") + "\n"
    assert ALERT["it"] not in said


async def test_one_angry_member_is_not_a_crisis(bot: TestBot) -> None:
    await crowd(bot)
    said = ""
    for line in COMPLAINTS["it"] * 2:
        said += await bot.say(f"@m1 in #general: {line}") + "\n"
    said += await bot.advance("1m")
    assert ALERT["it"] not in said


async def test_staff_talking_in_their_channel_is_not_counted(bot: TestBot) -> None:
    await crowd(bot)
    said = ""
    for number in range(10):
        said += await bot.say(f"@m{number} in #staff: {COMPLAINTS['it'][number % 8]}") + "\n"
    assert ALERT["it"] not in said


async def test_status_shows_rate_and_baseline_to_staff_only(bot: TestBot) -> None:
    await crowd(bot)
    await bot.say("@m1 in #general: non funziona niente", "@m2 in #general: ciao")
    said = await bot.say("@m3: /crisis status")
    assert "riservata al ruolo staff" in said
    said = await bot.say("@sara: /crisis status")
    assert "Nessuna allerta in corso." in said
    assert "1 lamentele su 2 messaggi, da 1 membri" in said
    assert "Livello abituale" in said


async def test_status_in_english(bot_en: TestBot) -> None:
    await crowd(bot_en)
    await complain_for(bot_en, "en", 4)
    said = await bot_en.say("@sara: /crisis status")
    assert "Alert running since" in said and "Usual level" in said


async def test_settings_change_the_rule_and_are_for_admins(bot: TestBot) -> None:
    await crowd(bot)
    await bot.say("join @ada as admin")
    said = await bot.say("@sara: /crisis settings minimum:20")
    assert "riservata" in said
    said = await bot.say("@ada: /crisis settings minimum:20 members:5")
    assert "Impostazioni salvate." in said and "almeno 20 lamentele da almeno 5 membri" in said
    said = await complain_for(bot, "it", 5)
    assert alerts_posted(said, "it") == 0  # 10 complaints: under the new minimum
    said = await bot.say("@ada: /crisis settings enabled:no")
    assert "disattivata" in said
    said = await bot.say("@ada: /crisis settings window:1")
    assert "Impostazioni salvate." not in said  # a window under 5 minutes is refused


async def test_members_reports_count_as_complaints(bot: TestBot) -> None:
    await crowd(bot)
    await bot.say("@m1 in #general: stasera si gioca", "@m2 in #general: chi c'è?")
    await bot.say("@m3 report @m1", "@m4 report @m2")
    said = await bot.say("@sara: /crisis status")
    assert "2 lamentele su 2 messaggi" in said


async def test_the_digest_section_lists_the_weeks_alerts(bot: TestBot) -> None:
    await crowd(bot)
    await complain_for(bot, "it", 5)
    assert bot.app is not None
    crisis = next(cog for cog in bot.app.services.cogs if cog.name == "crisis")
    now = bot.clock.now()
    community = Community("console", COMMUNITY_ID, "")
    period = ReportPeriod(
        community, now - timedelta(days=7), now, now - timedelta(days=14), "it", "Europe/Rome"
    )
    section = await crisis.report_section(period)
    assert section is not None and section.title == "🚨 Allerte crisi (1)"
    assert "in corso" in section.fields[0].value
    quiet = ReportPeriod(
        community,
        now - timedelta(days=14),
        now - timedelta(days=7),
        now - timedelta(days=21),
        "it",
        "Europe/Rome",
    )
    assert await crisis.report_section(quiet) is None


async def test_many_members_asking_about_one_problem_is_a_spike(bot: TestBot) -> None:
    await crowd(bot)
    asked = [
        "come mai non vedo più i miei ordini?",
        "dove sono finiti i miei ordini?",
        "non vedo più gli ordini, come mai?",
        "qualcuno sa perché gli ordini sono spariti?",
        "come mai i miei ordini sono scomparsi?",
        "dove trovo i miei ordini? sono spariti",
        "perché non vedo più i miei ordini?",
        "i miei ordini sono spariti?",
        "dove sono finiti gli ordini?",
        "come mai gli ordini sono spariti?",
    ]
    said = ""
    for number, question in enumerate(asked):
        said += await bot.say(f"@m{number} in #general: {question}") + "\n"
        if number % 2:
            said += await bot.advance("1m") + "\n"
    assert alerts_posted(said, "it") == 1
    said = await bot.say("@sara: /crisis status")
    assert "10 lamentele su 10 messaggi, da 10 membri" in said


async def test_the_same_routine_question_from_many_members_is_no_spike(bot: TestBot) -> None:
    await crowd(bot)
    said = ""
    for number in range(10):
        said += await bot.say(f"@m{number} in #general: a che ora inizia il torneo?") + "\n"
    assert ALERT["it"] not in said
