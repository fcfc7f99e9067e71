"""Polls: create, vote with buttons, change a vote, close by deadline, author or moderator."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import TestBot, running_bot

POLL = '@alice: /poll "Pizza o pasta?" "Pizza" "Pasta" duration:1h'


def counts(output: str) -> list[str]:
    """The tally lines of the newest card in `output`."""
    return re.findall(r"[█░]+ (\d+) vot", output.split("┃ 📊")[-1])


async def members(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @carla", "join @mara as moderator")


async def test_poll_card_has_a_button_per_option_and_empty_bars(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say(POLL)
    assert "┃ 📊 Pizza o pasta?" in said
    assert "[Pizza] [Pasta] [Chiudi sondaggio]" in said
    assert counts(said) == ["0", "0"]
    assert "si chiude il" in said and "#1" in said


async def test_votes_update_live_results_and_a_change_is_not_double_counted(bot: TestBot) -> None:
    await members(bot)
    await bot.say(POLL)
    said = await bot.say("@bob click Pizza")
    assert counts(said) == ["1", "0"]
    assert "██████████" in said and "100%" in said
    assert "[solo per @bob] Voto registrato: Pizza." in said
    said = await bot.say("@carla click Pasta")
    assert counts(said) == ["1", "1"] and "50%" in said
    said = await bot.say("@bob click Pasta")
    assert counts(said) == ["0", "2"]
    assert "Voto cambiato: ora Pasta." in said


async def test_a_double_click_changes_nothing(bot: TestBot) -> None:
    await members(bot)
    await bot.say(POLL, "@bob click Pizza")
    said = await bot.say("@bob click Pizza")
    assert "✎" not in said
    assert "Hai già votato Pizza." in said


async def test_poll_closes_at_its_deadline_with_results(bot: TestBot) -> None:
    await members(bot)
    await bot.say(POLL, "@bob click Pizza", "@carla click Pizza", "@mara click Pasta")
    said = await bot.advance("59m")
    assert "Risultati" not in said
    said = await bot.advance("2m")
    assert "Sondaggio di alice · chiuso" in said
    assert "🏁 Risultati: Pizza o pasta?" in said
    assert "Vince «Pizza»." in said
    assert "bob, carla" in said  # public poll: voters listed
    said = await bot.say("@alice click Pizza")
    assert "[solo per @alice] Il sondaggio è chiuso: il voto non è stato registrato." in said
    assert "✎" not in said


async def test_anonymous_results_do_not_name_voters(bot: TestBot) -> None:
    await members(bot)
    await bot.say('@alice: /poll "Segreto?" "Sì" "No" anonymous:sì', "@bob click Sì")
    said = await bot.say("@alice click Chiudi sondaggio")
    assert "Vince «Sì»." in said
    assert "anonimo" in said
    assert "bob" not in said


async def test_multiple_choice_toggles_each_option(bot: TestBot) -> None:
    await members(bot)
    await bot.say('@alice: /poll "Quali giorni?" "Lun" "Mar" "Mer" multiple:sì')
    await bot.say("@bob click Lun")
    said = await bot.say("@bob click Mer")
    assert counts(said) == ["1", "0", "1"]
    said = await bot.say("@bob click Lun")
    assert counts(said) == ["0", "0", "1"]
    assert "Voto per Lun ritirato." in said


async def test_only_author_or_moderator_may_close(bot: TestBot) -> None:
    await members(bot)
    await bot.say(POLL)
    said = await bot.say("@bob click Chiudi sondaggio")
    assert "Solo l'autore del sondaggio o un moderatore può chiuderlo." in said
    said = await bot.say("@bob: /poll close 1")
    assert "Solo l'autore" in said
    said = await bot.say("@mara: /poll close 1")
    assert "🏁 Risultati" in said
    assert "Hai chiuso il sondaggio «Pizza o pasta?»." in said
    said = await bot.say("@alice: /poll close 1")
    assert "Questo sondaggio è già chiuso." in said


async def test_list_shows_only_open_polls(bot: TestBot) -> None:
    await members(bot)
    await bot.say(POLL, '@bob: /poll "Mare o montagna?" "Mare" "Montagna"', "@bob: /poll close 2")
    said = await bot.say("@carla: /poll list")
    assert said.startswith("[solo per @carla]")
    assert "#1 · Pizza o pasta?" in said
    assert "Mare o montagna" not in said


async def test_bad_polls_get_a_clear_answer_and_create_nothing(bot: TestBot) -> None:
    await members(bot)
    cases = {
        '@alice: /poll "Solo una?" "A"': "Manca «option2», che è obbligatorio.",
        '@alice: /poll "Doppio?" "A" "a"': "Due opzioni sono uguali",
        '@alice: /poll "Quando?" "A" "B" duration:presto': "«presto» non è una durata",
        '@alice: /poll "Quando?" "A" "B" duration:10s': "troppo breve",
        '@alice: /poll "Aperto?" "A" "B': "Manca una virgoletta di chiusura.",
        f'@alice: /poll "{"?" * 300}" "A" "B"': "«question» è troppo lungo",
        '@alice: /poll "Q" "A" "B" colour:red': "Non conosco l'opzione «colour».",
        '@alice: /poll "Q" "A" "B" anonymous:forse': "accetta sì o no",
    }
    for line, expected in cases.items():
        said = await bot.say(line)
        assert expected in said, (line, said)
        assert "[solo per @alice]" in said
        assert "Uso: /poll" in said or "Due opzioni" in said
    said = await bot.say("@alice: /poll list")
    assert "Nessun sondaggio aperto." in said


async def test_eleven_options_are_too_many(bot: TestBot) -> None:
    await members(bot)
    options = " ".join(f'"O{number}"' for number in range(1, 12))
    said = await bot.say(f'@alice: /poll "Tante?" {options}')
    assert "Troppi valori" in said


async def test_restart_mid_poll_keeps_buttons_and_deadline(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await members(bot)
        await bot.say(POLL, "@bob click Pizza")
        offset = bot.clock.offset
    async with running_bot(db_path) as bot:
        # The console's clock carries on from the database, like its members and messages.
        assert bot.clock.offset == offset
        said = await bot.say("@carla click Pasta")
        assert counts(said) == ["1", "1"]
        said = await bot.advance("61m")
        assert "🏁 Risultati: Pizza o pasta?" in said
        assert "Parità tra: Pizza, Pasta." in said


async def test_deadline_passed_while_down_closes_at_start(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await members(bot)
        await bot.say('@alice: /poll "Breve?" "Sì" "No" duration:1m', "@bob click Sì")
    # Simulate downtime: the clock stored by the console moves past the deadline.
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + 600")
        )
    engine.dispose()
    async with running_bot(db_path) as bot:
        said = bot.all_output()
        assert "🏁 Risultati: Breve?" in said
        assert "Vince «Sì»." in said
        said = await bot.say("@carla click No")
        assert "Il sondaggio è chiuso" in said


async def test_english_poll(bot_en: TestBot) -> None:
    await bot_en.say("join @alice", "join @bob")
    said = await bot_en.say(
        '@alice: /poll "Pizza or pasta?" "Pizza" "Pasta" duration:30m', "@bob click Pasta"
    )
    assert "[Pizza] [Pasta] [Close poll]" in said
    assert "Vote recorded: Pasta." in said
    said = await bot_en.advance("31m")
    assert "🏁 Results: Pizza or pasta?" in said and "“Pasta” wins." in said


async def test_bare_poll_opens_a_form_whose_answer_creates_the_poll(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say("@alice: /poll")
    assert said.startswith("[solo per @alice] Modulo «Nuovo sondaggio»")
    said = await bot.say(
        '@alice fill question:"Cena?" options:"Pizza\\nPasta\\nSushi" duration:2h anonymous:sì'
    )
    assert "┃ 📊 Cena?" in said and "[Pizza] [Pasta] [Sushi]" in said
    assert "anonimo" in said and "si chiude il" in said
    said = await bot.say("@bob click Sushi")
    assert counts(said) == ["0", "0", "1"]


async def test_a_form_with_one_option_is_refused(bot: TestBot) -> None:
    await members(bot)
    await bot.say("@alice: /poll")
    said = await bot.say('@alice fill question:"Cena?" options:"Pizza"')
    assert "Manca «option2», che è obbligatorio." in said
    said = await bot.say('@bob fill question:"x"')
    assert "nessun modulo aperto per @bob" in said


async def test_a_busy_database_gets_a_clear_answer_and_loses_nothing(
    bot: TestBot, db_path: Path
) -> None:
    import sqlite3

    await members(bot)
    await bot.say(POLL, "@bob click Pizza")
    # Another process holds the write lock past the bot's patience (a migration, a backup).
    blocker = sqlite3.connect(db_path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        said = await bot.say("@carla click Pasta")
    finally:
        blocker.rollback()
        blocker.close()
    assert "[solo per @carla] Il database non risponde in questo momento" in said
    said = await bot.say("@carla click Pasta")
    assert counts(said) == ["1", "1"]
