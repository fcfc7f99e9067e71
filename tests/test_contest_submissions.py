"""Submission contests on the console: entries (text, link, file), then a vote with buttons
(one each, changeable, never for one's own) or a staff jury, and the results at the close."""

from __future__ import annotations

from pathlib import Path

from tests.contest_helpers import saved_file
from tests.harness import TestBot, running_bot

CONTEST = '@mara: /contest submissions title:"La foto dell\'estate" submit:2d vote:1d'


async def members(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "join @alice", "join @bob", "join @carla")


async def test_a_submission_contest_with_voting(bot: TestBot, tmp_path: Path) -> None:
    await members(bot)
    photo = tmp_path / "foto.png"
    photo.write_text("una foto di prova", encoding="utf-8")
    said = await bot.say(CONTEST)
    assert "┃ 🏆 La foto dell'estate" in said and "[Invia proposta]" in said
    assert "il voto dei membri" in said
    said = await bot.say('@alice: /contest submit id:1 text:"Tramonto a Cefalù"')
    assert "[solo per @alice] Proposta ricevuta! Si vota dal" in said
    said = await bot.say("@bob click Invia proposta")
    assert "[solo per @bob] Modulo «La tua proposta»" in said
    said = await bot.say('@bob fill text:"https://example.org/mare"')
    assert "Proposta ricevuta!" in said
    said = await bot.say(f"@carla: /contest submit id:1 file:{photo}")
    assert "Proposta ricevuta!" in said
    said = await bot.say("@carla: /contest submit id:1 text:altro")
    assert "Hai già inviato una proposta a questo concorso: una a testa." in said
    said = await bot.say("@mara: /contest submit id:1")
    assert "Scrivi un testo o un link" in said
    said = await bot.say("@alice click #1 alice")
    assert "nessun pulsante «#1 alice»" in said  # no vote buttons before the vote

    said = await bot.advance("2d")
    assert "🗳 Si vota «La foto dell'estate» fino al" in said and "Proposte: 3." in said
    assert "[#1 alice] [#2 bob] [#3 carla]" in said
    assert "Tramonto a Cefalù" in said and "📎 foto.png" in said
    assert saved_file(said, "3-foto.png") == "una foto di prova"
    said = await bot.say("@dario: /contest submit id:1 text:tardi", "join @dario")
    said = await bot.say("@dario: /contest submit id:1 text:tardi")
    assert "Gli invii per questo concorso sono chiusi." in said

    said = await bot.say("@alice click #1 alice")
    assert "[solo per @alice] Non puoi votare la tua proposta." in said
    said = await bot.say("@alice click #2 bob", "@alice click #2 bob")
    assert "Voto registrato: proposta #2 di bob." in said
    assert "Hai già votato la proposta #2." in said
    said = await bot.say("@bob click #1 alice", "@carla click #1 alice", "@dario click #3 carla")
    said = await bot.say("@carla click #2 bob")
    assert "Voto cambiato: ora proposta #2 di bob." in said

    said = await bot.advance("1d")
    assert "Concorso concluso. Proposte: 3." in said
    assert "🏆 #2 · bob" in said and "voti: 2" in said
    assert "🏆 Risultati di «La foto dell'estate»: vince @bob! (proposte: 3)" in said
    assert "[DM @bob] 🎉 Hai vinto «La foto dell'estate» (concorso #1)!" in said
    said = await bot.say("@alice click #3 carla")
    assert "nessun pulsante «#3 carla»" in said  # the closed card has no buttons


async def test_a_staff_jury_picks_the_winners(bot: TestBot) -> None:
    await members(bot)
    await bot.say(
        '@mara: /contest submissions title:"Logo" submit:1h vote:1h judging:staff winners:1',
        '@alice: /contest submit id:1 text:"Cerchio"',
        '@bob: /contest submit id:1 text:"Quadrato"',
    )
    said = await bot.advance("1h")
    assert "⚖️ La giuria valuta «Logo» fino al" in said
    said = await bot.say("@carla click #1 alice")
    assert "[solo per @carla] In questo concorso decide la giuria dello staff." in said
    said = await bot.say("@mara click #1 alice")
    assert "Scelta come vincitrice: proposta #1 di alice." in said
    said = await bot.say("@mara click #2 bob")
    assert "Hai già scelto tutti i vincitori (al massimo 1)" in said
    said = await bot.say("@mara click #1 alice", "@mara click #2 bob")
    assert "Tolta dai vincitori: proposta #1 di alice." in said
    assert "Scelta come vincitrice: proposta #2 di bob." in said
    said = await bot.say("@mara: /contest end id:1")
    assert "🏆 Risultati di «Logo»: vince @bob!" in said
    assert "voti:" not in said


async def test_a_contest_nobody_entered_ends_without_winners(bot: TestBot) -> None:
    await members(bot)
    await bot.say('@mara: /contest submissions title:"Vuoto" submit:1h vote:1h')
    said = await bot.advance("1h")
    assert "🏁 «Vuoto» è concluso senza vincitori (proposte: 0)." in said
    said = await bot.advance("2h")
    assert "Vuoto" not in said


async def test_submissions_bad_input(bot: TestBot) -> None:
    await members(bot)
    cases = {
        '@alice: /contest submissions title:"X" submit:1d vote:1d': "riservata al ruolo staff",
        '@mara: /contest submissions title:"X" submit:40d vote:1d': "è troppo lunga",
        '@mara: /contest submissions title:"X" submit:1d vote:1d judging:tutti': "members, staff",
        '@mara: /contest submissions title:"X" submit:1d': "Manca «vote»",
        "@alice: /contest submit id:7 text:ciao": "Non trovo il concorso #7.",
    }
    for line, expected in cases.items():
        said = await bot.say(line)
        assert expected in said, (line, said)
        assert said.startswith("[solo per @"), (line, said)
    await bot.say('@mara: /contest giveaway prize:"Premio" duration:1d')
    said = await bot.say("@alice: /contest submit id:1 text:ciao")
    assert "Il concorso #1 è un giveaway" in said


async def test_an_english_submission_contest(bot_en: TestBot) -> None:
    await bot_en.say("join @mara as staff", "join @alice", "join @bob")
    said = await bot_en.say('@mara: /contest submissions title:"Best meme" submit:1h vote:1h')
    assert "[Submit entry]" in said
    await bot_en.say(
        '@alice: /contest submit id:1 text:"cat"', '@bob: /contest submit id:1 text:"dog"'
    )
    said = await bot_en.advance("1h")
    assert "🗳 Voting on “Best meme” until" in said and "Entries: 2." in said
    said = await bot_en.say("@alice click #2 bob")
    assert "Vote recorded: entry #2 by bob." in said
    said = await bot_en.advance("1h")
    assert "🏆 Results of “Best meme”: @bob won! (entries: 2)" in said


async def test_restart_mid_vote_keeps_the_buttons_and_the_deadline(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await members(bot)
        await bot.say(
            '@mara: /contest submissions title:"Ricetta" submit:1h vote:1h',
            '@alice: /contest submit id:1 text:"Carbonara"',
            '@bob: /contest submit id:1 text:"Amatriciana"',
            "advance 1h",
            "@carla click #1 alice",
        )
    async with running_bot(db_path) as bot:
        said = await bot.say("@carla click #2 bob", "@alice click #2 bob")
        assert "Voto cambiato: ora proposta #2 di bob." in said
        said = await bot.advance("1h")
        assert "🏆 Risultati di «Ricetta»: vince @bob! (proposte: 2)" in said


async def test_entries_beyond_the_cards_buttons_are_voted_by_command(bot: TestBot) -> None:
    names = [f"m{number:02d}" for number in range(1, 28)]
    await bot.say("join @mara as staff", *(f"join @{name}" for name in names))
    await bot.say('@mara: /contest submissions title:"Tanti" submit:1h vote:1h')
    await bot.say(*(f"@{name}: /contest submit id:1 text:proposta-{name}" for name in names))
    said = await bot.advance("1h")
    assert "[#25 m25]" in said and "#26 m26" not in said
    assert "per le altre: /contest vote id:1 entry:numero" in said
    said = await bot.say("@m01: /contest vote id:1 entry:27", "@m02: /contest vote id:1 entry:27")
    assert said.count("Voto registrato: proposta #27 di m27.") == 2
    said = await bot.say("@m03: /contest vote id:1 entry:99")
    assert "Non c'è la proposta #99." in said
    said = await bot.advance("1h")
    assert "vince @m27!" in said
