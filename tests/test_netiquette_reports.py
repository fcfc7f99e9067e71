"""Members report what the rules missed: one card per message, reporters thanked and unnamed."""

from __future__ import annotations

from tests.harness import TestBot


async def members(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @carla", "join @mara as moderator")


async def test_two_reports_of_a_clean_message_make_one_card(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say("@alice in #generale: la pizza con l'ananas è buonissima")
    assert "revisione" not in said
    said = await bot.say("@bob report @alice è una provocazione")
    assert "[solo per @bob] Grazie della segnalazione" in said
    assert "🚩 Messaggio segnalato #1" in said and "Segnalazioni dei membri\n  ┃   1" in said
    assert "[Approva] [Rifiuta] [Rifiuta e avvisa]" in said
    assert "nascosto" not in said  # reports are not held by default
    assert "[DM @alice]" not in said  # the author is not told who reported, nor that anyone did
    said = await bot.say("@carla report @alice")
    assert said.count("🚩 Messaggio segnalato #1") == 1  # the same card, edited
    assert "Segnalazioni dei membri\n  ┃   2" in said
    said = await bot.say("@bob report @alice")
    assert "Hai già segnalato questo messaggio" in said
    assert "Segnalazioni dei membri" not in said
    said = await bot.say("@mara click Rifiuta")
    assert "⛔ Rifiutato da @mara" in said
    assert "di @alice nascosto" in said  # still in sight until now: taken down
    dm = next(line for line in said.splitlines() if line.startswith("[DM @alice]"))
    assert "dopo una segnalazione" in dm and "bob" not in dm and "carla" not in dm


async def test_a_community_may_hold_what_is_reported(bot_en: TestBot) -> None:
    bot = bot_en
    await members(bot)
    await bot.say("@mara: /netiquette settings reports_held:yes")
    await bot.say("@alice: pineapple belongs on pizza")
    said = await bot.say("@bob report @alice")
    assert "by @alice hidden: it is under review" in said
    dm = next(line for line in said.splitlines() if line.startswith("[DM @alice]"))
    assert "after a report" in dm and "bob" not in dm
    said = await bot.say("@mara click Approve")
    assert "reposted on behalf of @alice" in said and "pineapple belongs on pizza" in said
    assert "Good news, alice" in said


async def test_one_cannot_report_oneself(bot: TestBot) -> None:
    await members(bot)
    await bot.say("@alice: ciao")
    said = await bot.say("@alice report @alice")
    assert "Non puoi segnalare un tuo messaggio." in said
    assert "🚩" not in said


async def test_an_approved_report_leaves_the_message_in_place(bot: TestBot) -> None:
    await members(bot)
    await bot.say("@alice: tutto bene", "@bob report @alice")
    said = await bot.say("@mara click Approva")
    assert "✅ Approvato da @mara" in said
    assert "ripubblicato" not in said and "nascosto" not in said
    assert "[DM @alice]" not in said  # never told: nothing happened to the message
