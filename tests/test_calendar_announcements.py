"""The editorial calendar: one-off and recurring announcements, on time, once each."""

from __future__ import annotations

from pathlib import Path

from tests.calendar_support import YEAR, advance_to, downtime, rome
from tests.harness import TestBot, running_bot

SCHEDULE = (
    f'@sara: /announce schedule channel:#news at:"{YEAR}-03-22 10:00" '
    'text:"Buongiorno, ecco le novità della settimana" repeat:"ogni lunedì"'
)
POSTED = "[#news] Buongiorno, ecco le novità della settimana"


async def test_weekly_post_keeps_its_local_hour_across_dst_and_a_restart(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say("join @sara as staff")
        said = await bot.say(SCHEDULE)
        assert "✅ Annuncio #1 programmato" in said and "ogni lunedì" in said
        assert POSTED not in await advance_to(bot, f"{YEAR}-03-22 09:59")
        assert (await bot.advance("2m")).count(POSTED) == 1
    async with running_bot(db_path) as bot:
        # Summer time began on 28 March: 10:00 in Rome is now 08:00 UTC, not 09:00.
        assert POSTED not in await advance_to(bot, f"{YEAR}-03-29 09:59")
        said = await bot.advance("2m")
        assert said.count(POSTED) == 1
        assert bot.clock.now() > rome(f"{YEAR}-03-29 10:00")
        assert POSTED not in await bot.advance("6d")
    assert bot.all_output().count(POSTED) == 1


async def test_a_post_missed_while_down_is_posted_late_once(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say("join @sara as staff")
        await bot.say(SCHEDULE)
        await advance_to(bot, f"{YEAR}-03-22 09:00")
    downtime(db_path, 2 * 3600)  # down from 09:00 to 11:00: the 10:00 post was missed
    async with running_bot(db_path) as bot:
        assert bot.all_output().count(POSTED) == 1
    async with running_bot(db_path) as bot:
        assert POSTED not in bot.all_output()  # the restart does not post it again
        said = await bot.say("@sara: /announce list")
        assert "#1" in said and f"29 mar {YEAR}" in said


async def test_a_post_missed_for_too_long_is_skipped_and_the_series_goes_on(
    db_path: Path,
) -> None:
    async with running_bot(db_path) as bot:
        await bot.say("join @sara as staff", "@sara: /announce settings late:1h")
        await bot.say(SCHEDULE)
        await advance_to(bot, f"{YEAR}-03-22 09:00")
    downtime(db_path, 3 * 24 * 3600)
    async with running_bot(db_path) as bot:
        assert POSTED not in bot.all_output()
        await advance_to(bot, f"{YEAR}-03-29 09:59")
        assert (await bot.advance("2m")).count(POSTED) == 1


async def test_one_off_announcement_cancel_and_preview(bot_en: TestBot) -> None:
    await bot_en.say("join @sara as staff", "join @bob")
    said = await bot_en.say(
        f'@sara: /announce schedule at:"{YEAR}-01-10 18:00" text:"Tonight: community call!"'
    )
    assert "✅ Announcement #1 scheduled" in said and "(once)" in said
    said = await bot_en.say("@sara: /announce preview id:1")
    assert "Preview of announcement #1" in said and "Tonight: community call!" in said
    await bot_en.say(f'@sara: /announce schedule at:"{YEAR}-01-11 18:00" text:"Second"')
    said = await bot_en.say("@sara: /announce cancel id:1")
    assert "Announcement #1 cancelled" in said
    said = await advance_to(bot_en, f"{YEAR}-01-11 20:00")
    assert "Tonight: community call!" not in said
    assert "[#general] Second" in said
    said = await bot_en.say("@sara: /announce cancel id:1")
    assert "no longer scheduled" in said


async def test_bad_input_is_answered_and_nothing_is_kept(bot: TestBot) -> None:
    await bot.say("join @sara as staff", "join @bob")
    said = await bot.say('@sara: /announce schedule at:"2020-01-01 10:00" text:"Vecchio"')
    assert "è già passato" in said
    said = await bot.say(f'@sara: /announce schedule at:"{YEAR}-02-30 10:00" text:"Mai"')
    assert "non esiste nel calendario" in said
    said = await bot.say(f'@sara: /announce schedule at:"{YEAR}-03-28 02:30" text:"Buco"')
    assert "l'ora legale salta quell'ora" in said
    said = await bot.say(
        f'@sara: /announce schedule at:"{YEAR}-01-04 10:00" text:"X" repeat:"ogni tanto"'
    )
    assert "Non capisco la ripetizione «ogni tanto»" in said
    said = await bot.say(
        f'@sara: /announce schedule at:"{YEAR}-01-04 10:00" text:"X" repeat:"RRULE:FREQ=MINUTELY"'
    )
    assert "troppo spesso" in said
    said = await bot.say(f'@bob: /announce schedule at:"{YEAR}-01-04 10:00" text:"Io?"')
    assert "staff" in said
    said = await bot.say("@sara: /announce list")
    assert "Nessun annuncio in calendario." in said


async def test_monthly_rule_and_an_end_date(bot_en: TestBot) -> None:
    await bot_en.say("join @sara as staff")
    said = await bot_en.say(
        f'@sara: /announce schedule at:"{YEAR}-01-05 09:00" text:"Monthly report" '
        f'repeat:"first day of the month" until:"{YEAR}-03-15"'
    )
    # The first of the month after 5 January is 1 February.
    assert f"Feb 1, {YEAR}" in said and "the first of the month" in said
    said = await advance_to(bot_en, f"{YEAR}-02-01 09:01")
    assert said.count("[#general] Monthly report") == 1
    said = await advance_to(bot_en, f"{YEAR}-03-01 09:01")
    assert said.count("[#general] Monthly report") == 1
    said = await bot_en.say("@sara: /announce list")
    assert "Nothing in the calendar." in said
