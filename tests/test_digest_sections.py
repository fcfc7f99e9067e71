"""Every cog's section of the digest, as staff read it in `/digest now`."""

from __future__ import annotations

import re

from tests.digest_helpers import digest_cards, value
from tests.harness import TestBot


async def test_netiquette_reports_flagged_posts_and_decisions(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @mara as moderator", "join @sara as staff")
    await bot.say("@alice in #generale: sei proprio un idiota")
    await bot.say("@mara click Rifiuta")
    await bot.say("@bob in #generale: sei proprio un idiota")
    said = await bot.say("@sara: /digest now")
    [card] = digest_cards(said)
    assert "🛡 Netiquette" in card
    assert value(card, "Post trattenuti o segnalati dalle regole") == (
        "2 (settimana precedente: 0)"
    )
    assert value(card, "Per categoria") == "insulti: 2"
    assert value(card, "Decisioni dei moderatori") == (
        "approvati: 0 · respinti: 1 · con avviso: 0 · ancora in attesa: 1"
    )


async def test_netiquette_in_english(bot_en: TestBot) -> None:
    await bot_en.say("join @alice", "join @mara as moderator", "join @sara as staff")
    await bot_en.say("@alice in #general: you are a stupid idiot")
    await bot_en.say("@mara click Approve")
    said = await bot_en.say("@sara: /digest now")
    [card] = digest_cards(said, "#staff")
    assert value(card, "Posts flagged by the rules") == "1 (the week before: 0)"
    assert value(card, "Moderators' decisions") == (
        "approved: 1 · rejected: 0 · warned: 0 · still waiting: 0"
    )


async def test_contests_closed_in_the_week_with_winners_named_only_if_allowed(
    bot: TestBot,
) -> None:
    await bot.say("join @ada as admin", "join @mara as staff", "join @alice", "join @bob")
    await bot.say('@mara: /contest giveaway prize:"Buono da 50 €" winners:1 duration:1h')
    await bot.say("@alice click Partecipa", "@bob click Partecipa")
    await bot.advance("2h")
    [card] = digest_cards(await bot.say("@mara: /digest now"))
    assert "🎁 Concorsi chiusi" in card
    assert value(card, "#1 · Buono da 50 €") == ("estrazione · partecipanti: 2 · vincitori: 1")
    await bot.say("@ada: /digest settings names:sì")
    [card] = digest_cards(await bot.say("@mara: /digest now"))
    winner = value(card, "#1 · Buono da 50 €").rsplit("vincitori: ", 1)[1]
    assert winner in ("alice", "bob")


async def test_recurring_questions_and_the_faqs_help(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @carla", "join @elena", "join @sara as staff")
    await bot.say(
        "@alice: come resetto la password?",
        "@bob: nn riesco a cambiare la pw",
        "@carla: password dimenticata, help",
    )
    await bot.say("@sara click Rispondi")
    await bot.say('@sara fill answer:"Vai su Impostazioni → Account → Reimposta password."')
    await bot.say("@elena: ho perso la password, come la recupero?", "@elena click Utile")
    [card] = digest_cards(await bot.say("@sara: /digest now"))
    assert "❓ Domande ricorrenti" in card
    assert value(card, "Gruppi di domande") == (
        "nuovi: 1 · di questi con risposta: 1 · ancora aperti: 0"
    )
    assert value(card, "In tutto").startswith("domande: 4, con risposta: 4")
    assert value(card, "Risposte dalle FAQ") == "date: 1 · utili: 1 · non utili: 0"


async def test_quiz_rounds_played_in_the_week(bot: TestBot) -> None:
    from tests.test_quiz_round import answer_right, start_history

    said = await start_history(bot)
    for _ in range(3):
        await answer_right(bot, "alice", said)
        said = await bot.advance("21s")
    [card] = digest_cards(await bot.say("@mara: /digest now"))
    assert "🧠 Quiz giocati" in card
    line = re.fullmatch(r"giocatori: 1 · punteggio migliore: ([\d.]+)", value(card, "#1 · h"))
    assert line is not None and int(line[1].replace(".", "")) > 0  # names are off
