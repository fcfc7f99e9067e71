"""Live sessions: a card with "Remind me", private reminders before the start, once each."""

from __future__ import annotations

from pathlib import Path

from tests.calendar_support import YEAR, advance_to
from tests.harness import TestBot, running_bot

LIVE = (
    f'@sara: /announce live title:"Diretta con il team" at:"{YEAR}-01-15 18:00" '
    "channel:#eventi remind:30m"
)


async def test_members_who_pressed_remind_me_get_one_dm_before_it_starts(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say("join @sara as staff", "join @anna", "join @bruno", "join @carla")
        said = await bot.say(LIVE)
        assert "[#eventi]" in said and "🔴 Dal vivo: Diretta con il team" in said
        assert "[Ricordamelo]" in said
        said = await bot.say("@anna click Ricordamelo")
        assert "Ti scriverò in privato 30 minuti prima" in said
        assert "iscritti: 1" in said
        await bot.say("@bruno click Ricordamelo", "@carla click Ricordamelo")
        said = await bot.say("@carla click Ricordamelo")
        assert "niente promemoria" in said and "iscritti: 2" in said
    async with running_bot(db_path) as bot:
        said = await advance_to(bot, f"{YEAR}-01-15 17:29")
        assert "[DM @anna]" not in said
        said = await bot.advance("2m")
        assert said.count("[DM @anna] 🔔 Tra poco: «Diretta con il team»") == 1
        assert "[DM @bruno]" in said and "[DM @carla]" not in said
        said = await bot.say("@carla click Ricordamelo")
        assert "ormai manca poco" in said
        said = await advance_to(bot, f"{YEAR}-01-15 18:01")
        assert "[#eventi] 🔴 «Diretta con il team» inizia adesso!" in said
        assert "In corso: la sessione è iniziata." in said
        assert "[DM @anna]" not in said
        said = await bot.say("@anna click Ricordamelo")
        assert "nessun pulsante" in said  # the started card has no button any more


async def test_live_sessions_appear_in_the_list_in_english(bot_en: TestBot) -> None:
    await bot_en.say("join @sara as staff")
    await bot_en.say(f'@sara: /announce live title:"AMA" at:"{YEAR}-02-01 19:00"')
    said = await bot_en.say("@sara: /announce list")
    assert "🗓 In the calendar" in said
    assert "live session: AMA (once)" in said


async def test_scheduled_quizzes_appear_in_the_calendar(bot: TestBot) -> None:
    from pathlib import Path

    bank = Path(__file__).parent / "data" / "quizzes" / "storia.gift"
    await advance_to(bot, f"{YEAR}-01-04 09:00")  # the list shows the year ahead
    await bot.say("join @sara as staff", f"@sara: /quiz import name:storia file:{bank}")
    await bot.say(f'@sara in #quiz: /quiz schedule bank:storia at:"{YEAR}-02-05 18:00"')
    await bot.say(f'@sara: /announce schedule at:"{YEAR}-02-01 10:00" text:"Settimana del quiz!"')
    said = await bot.say("@sara: /announce list")
    lines = said.splitlines()
    post = next(i for i, line in enumerate(lines) if "Settimana del quiz!" in line)
    quiz = next(i for i, line in enumerate(lines) if "quiz: storia" in line)
    assert post < quiz  # soonest first, whatever feature scheduled it
    assert "#quiz" in lines[quiz] and f"5 feb {YEAR}" in lines[quiz]
