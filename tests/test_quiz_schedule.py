"""Scheduled quizzes: dates in the community's time zone, an announcement and a reminder,
a start by the scheduler, also across a restart; listing and cancelling."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from bot.core.model import Community
from cogs.quizzes.schedule import scheduled_quizzes
from tests.calendar_support import YEAR
from tests.harness import TestBot, running_bot
from tests.test_quiz_support import import_bank, players

ROME = ZoneInfo("Europe/Rome")


def local_in(bot: TestBot, delta: timedelta) -> str:
    """A moment from now as a member types it, in the community's (Italian) time zone."""
    return (bot.clock.now() + delta).astimezone(ROME).strftime("%Y-%m-%d %H:%M")


async def schedule(bot: TestBot, delta: timedelta, extra: str = "") -> str:
    at = local_in(bot, delta)
    return await bot.say(
        f'@mara: /quiz schedule bank:h at:"{at}" questions:2 seconds:10 {extra}'.rstrip()
    )


async def test_announced_reminded_and_started_on_time(bot: TestBot) -> None:
    await players(bot)
    await import_bank(bot, "h", "history.gift")
    said = await schedule(bot, timedelta(hours=1, minutes=1), "channel:#quiz")
    assert "[#quiz]" in said and "📅 Quiz in arrivo il" in said
    assert "Banca «h»: 2 domande, 10 secondi ciascuna." in said
    assert "[solo per @mara] Quiz programmato #1 per il" in said
    said = await bot.say("@mara: /quiz scheduled")
    assert "#1 · " in said and "«h» in #quiz · domande: 2 · 10 s ciascuna" in said
    assert bot.app is not None and bot.console is not None
    listed = await scheduled_quizzes(bot.app.db, Community("console", "console", ""))
    assert [(quiz.id, quiz.bank, quiz.channel_name) for quiz in listed] == [(1, "h", "quiz")]
    said = await bot.advance("45m")
    assert "⏰" not in said
    said = await bot.advance("10m")
    assert "[#quiz]" in said and "⏰ Tra 10 minuti il quiz!" in said
    said = await bot.advance("10m")
    assert "🎬 Comincia il quiz «h»: 2 domande, 10 secondi ciascuna." in said
    assert "[#quiz]" in said and "❓ Domanda 1 di 2" in said
    said = await bot.say("@mara: /quiz scheduled")
    assert "Nessun quiz programmato." in said


async def test_bad_dates_get_a_clear_answer_and_schedule_nothing(bot: TestBot) -> None:
    await players(bot)
    await import_bank(bot, "h", "history.gift")
    cases = {
        '"2026-02-30 18:00"': "«2026-02-30 18:00» non esiste nel calendario.",
        f'"31/04/{YEAR} 18:00"': f"«31/04/{YEAR} 18:00» non esiste nel calendario.",
        f'"{YEAR}-03-28 02:30"': "quella notte l'ora legale salta quell'ora",
        "domani": "«domani» non è una data con l'ora",
        '"2020-01-01 10:00"': "«2020-01-01 10:00» è già passato",
        f'"{YEAR}-01-01 25:00"': "non esiste nel calendario",
    }
    for at, expected in cases.items():
        said = await bot.say(f"@mara: /quiz schedule bank:h at:{at}")
        assert expected in said, (at, said)
        assert "[solo per @mara]" in said
    said = await bot.say(f'@mara: /quiz schedule bank:nessuna at:"{YEAR}-01-01 10:00"')
    assert "Non c'è nessuna banca «nessuna»." in said
    said = await bot.say("@mara: /quiz scheduled")
    assert "Nessun quiz programmato." in said


async def test_an_italian_date_and_an_english_error(bot_en: TestBot) -> None:
    await players(bot_en)
    await import_bank(bot_en, "h", "history.gift")
    said = await bot_en.say('@mara: /quiz schedule bank:h at:"2026-13-01 10:00"')
    assert "“2026-13-01 10:00” does not exist in the calendar." in said
    said = await bot_en.say(f'@mara: /quiz schedule bank:h at:"{YEAR}-01-05 18:00"')
    assert f"Scheduled quiz #1 is set for Jan 5, {YEAR}, 6:00" in said


async def test_cancel_tells_the_channel_and_nothing_starts(bot: TestBot) -> None:
    await players(bot)
    await import_bank(bot, "h", "history.gift")
    await schedule(bot, timedelta(minutes=30))
    said = await bot.say("@mara: /quiz cancel id:1")
    assert "[#generale] Il quiz programmato #1 («h») è annullato." in said
    assert "[solo per @mara] Hai annullato il quiz programmato #1." in said
    said = await bot.say("@mara: /quiz cancel id:1")
    assert "Nessun quiz programmato #1 da annullare" in said
    said = await bot.advance("1h")
    assert "❓" not in said and "⏰" not in said


async def test_a_bank_deleted_before_the_start_is_told_in_the_channel(bot: TestBot) -> None:
    await players(bot)
    await import_bank(bot, "h", "history.gift")
    await schedule(bot, timedelta(minutes=5))
    await bot.say("@mara: /quiz delete bank:h")
    said = await bot.advance("6m")
    assert "Il quiz programmato #1 non è potuto partire: Non c'è nessuna banca «h»." in said


async def test_a_scheduled_quiz_across_a_restart(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await players(bot)
        await import_bank(bot, "h", "history.gift")
        await schedule(bot, timedelta(minutes=31))
        await schedule(bot, timedelta(hours=3), "channel:#sera")
    async with running_bot(db_path) as bot:
        # The first is reminded and started by the new process, as if nothing happened.
        said = await bot.advance("22m")
        assert "⏰ Tra 10 minuti il quiz!" in said
        said = await bot.advance("10m")
        assert "❓ Domanda 1 di 2" in said
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        # Down for three hours: the evening quiz's time passes while nobody runs the bot.
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + 10800")
        )
    engine.dispose()
    async with running_bot(db_path) as bot:
        said = bot.all_output()
        assert "[#sera]" in said and "🎬 Comincia il quiz «h»" in said
        assert "⏰" not in said  # a reminder after the start would be noise
        said = await bot.say("@mara: /quiz scheduled")
        assert "Nessun quiz programmato." in said
