"""The review queue on the console: held posts, the card's buttons, strikes and escalation,
two moderators at once, edits, a restart, reminders and the retention of held text."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.adapters.console.platform import ConsoleInteraction
from bot.core.events import ButtonPressed
from cogs.netiquette.models import NetiquetteAudit, NetiquetteReview
from tests.harness import TestBot, running_bot

INSULT_IT = "sei proprio un idiota"
INSULT_EN = "you are such an idiot"


async def members(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @mara as moderator", "join @luca as moderator")


async def reviews(bot: TestBot) -> list[NetiquetteReview]:
    assert bot.app is not None
    async with bot.app.db.session() as session:
        return list((await session.scalars(select(NetiquetteReview))).all())


async def test_a_flagged_post_is_held_reviewed_and_restored_under_its_author(
    bot: TestBot,
) -> None:
    await members(bot)
    said = await bot.say(f"@alice in #generale: {INSULT_IT}")
    assert "nascosto: è in revisione" in said
    dm = next(line for line in said.splitlines() if line.startswith("[DM @alice]"))
    assert "«niente insulti»" in dm and "idiota" not in dm  # the rule named, never the word
    card = said.split("[#moderatori]", 1)[1]
    assert "🛡 Messaggio in revisione #1" in card
    assert "⟦idiota⟧" in card  # the matched span, for the moderators only
    assert "ammonizioni attive: 0" in card and "#generale" in card
    assert "[Approva] [Rifiuta] [Rifiuta e avvisa]" in card
    said = await bot.say("@mara click Approva")
    assert "ripubblicato a nome di @alice" in said and INSULT_IT in said
    assert "(Approva) (Rifiuta) (Rifiuta e avvisa)" in said  # the card, edited
    assert "✅ Approvato da @mara" in said
    assert "[DM @alice] Buone notizie, alice" in said
    assert "[solo per @mara] Hai approvato la revisione #1" in said


async def test_rejections_give_strikes_and_the_second_one_a_timeout(bot_en: TestBot) -> None:
    bot = bot_en
    await members(bot)
    await bot.say(f"@alice: {INSULT_EN}")
    said = await bot.say("@mara click Reject")
    assert "⛔ Rejected by @mara" in said
    assert "You received a strike (active now: 1)" in said
    assert "timed out" not in said
    await bot.say(f"@alice: {INSULT_EN} again")
    said = await bot.say("@mara click Reject and warn")
    assert "(active now: 2)" in said and "more strikes can lead to a timeout" in said
    assert "@alice timed out until" in said  # the console's timeout
    assert "[#moderators] ⏳ @alice has 2 active strikes: timed out until" in said
    said = await bot.say("@mara: /netiquette strikes member:@alice")
    assert "Active strikes: 2" in said
    said = await bot.say("@mara: /netiquette pardon strike:1")
    assert "Strike #1 of @alice pardoned." in said
    said = await bot.say("@mara: /netiquette strikes member:@alice")
    assert "Active strikes: 1" in said


async def test_two_moderators_at_once_make_one_decision(bot: TestBot) -> None:
    await members(bot)
    await bot.say(f"@alice: {INSULT_IT}")
    console, app = bot.console, bot.app
    assert console is not None and app is not None and app.dispatcher is not None
    found = await console.find_button("mara", "Approva")
    assert found is not None
    ref, custom_id = found
    channel = await console.ensure_channel(ref.channel_id)
    presses = []
    for name in ("mara", "luca"):
        member = await console.get_member(name)
        assert member is not None
        interaction = ConsoleInteraction(console, channel, member, ref)
        presses.append(
            ButtonPressed(console.community, channel, member, custom_id, interaction, ref)
        )
    before = len(bot.output)
    await asyncio.gather(*(app.dispatcher.button_pressed(press) for press in presses))
    said = "\n".join(bot.output[before:])
    assert said.count("ripubblicato a nome di @alice") == 1
    assert said.count("Questa revisione è già stata decisa: ✅ Approvato da @") == 1
    async with app.db.session() as session:
        actions = (await session.scalars(select(NetiquetteAudit.action))).all()
    assert list(actions).count("approved") == 1


async def test_a_member_pressing_approve_is_refused(bot: TestBot) -> None:
    await members(bot)
    await bot.say(f"@alice: {INSULT_IT}")
    said = await bot.say("@bob click Approva")
    assert "[solo per @bob] Solo i moderatori possono decidere" in said
    assert "ripubblicato" not in said
    assert [review.state for review in await reviews(bot)] == ["pending"]


async def test_an_edited_message_is_checked_again(bot_en: TestBot) -> None:
    await members(bot_en)
    said = await bot_en.say("@alice: hello everyone")
    assert "review" not in said
    said = await bot_en.say(f"@alice edit @alice: hello {INSULT_EN}")
    assert "hidden" in said and "🛡 Message under review #1" in said


async def test_moderators_are_exempt_unless_the_setting_says_otherwise(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say(f"@luca: {INSULT_IT}")
    assert "revisione" not in said
    await bot.say("@mara: /netiquette settings exempt:no")
    said = await bot.say(f"@luca: {INSULT_IT}")
    assert "🛡 Messaggio in revisione" in said


async def test_after_a_restart_the_card_works_and_the_reminder_fires(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await members(bot)
        await bot.say(f"@alice: {INSULT_IT}")
        said = await bot.advance("30m")
        assert "⏰" not in said
    async with running_bot(db_path) as bot:
        said = await bot.advance("31m")
        assert "[#moderatori] ⏰ La revisione #1 (messaggio di @alice" in said
        said = await bot.advance("2h")
        assert "⏰" not in said  # reminded once
        said = await bot.say("@mara click Rifiuta")
        assert "⛔ Rifiutato da @mara" in said
        assert "(attive ora: 1)" in said


async def test_the_held_text_is_erased_after_the_retention(bot: TestBot) -> None:
    await members(bot)
    await bot.say("@mara: /netiquette settings retention:2d", f"@alice: {INSULT_IT}")
    await bot.say("@mara click Rifiuta")
    assert [review.text for review in await reviews(bot)] == [INSULT_IT]
    said = await bot.advance("1d")
    assert "cancellato" not in said
    said = await bot.advance("1d")
    assert "(testo cancellato al termine del periodo di conservazione)" in said
    assert INSULT_IT not in said
    assert [review.text for review in await reviews(bot)] == [None]


async def test_in_english_a_held_post_is_approved_and_restored(bot_en: TestBot) -> None:
    await members(bot_en)
    said = await bot_en.say(f"@alice in #general: {INSULT_EN}")
    assert "by @alice hidden: it is under review" in said
    assert "“no insults”" in said and "[Approve] [Reject] [Reject and warn]" in said
    said = await bot_en.say("@luca click Approve")
    assert "reposted on behalf of @alice" in said and INSULT_EN in said
    assert "✅ Approved by @luca" in said and "Good news, alice" in said


async def test_a_warning_rule_warns_privately_and_holds_nothing(bot_en: TestBot) -> None:
    await members(bot_en)
    said = await bot_en.say("@alice: THIS IS THE BEST DAY OF MY WHOLE LIFE FRIENDS")
    assert "[DM @alice] Hi alice, your message in #general seems to break" in said
    assert "“no shouting in capitals”" in said
    assert "hidden" not in said and "[#moderators]" not in said
    said = await bot_en.say("@alice: OMG YES")
    assert said == ""


async def test_a_reported_message_deleted_by_its_author_closes_its_review(bot: TestBot) -> None:
    await members(bot)
    await bot.say("@alice: messaggio discutibile", "@bob report @alice")
    said = await bot.say("@alice delete @alice")
    assert "🗑 Eliminato dal suo autore" in said and "(Approva)" in said
    assert [review.state for review in await reviews(bot)] == ["withdrawn"]


async def test_a_flood_makes_one_card_and_one_decision(bot: TestBot) -> None:
    await members(bot)
    await bot.advance("2d")
    said = await bot.say(*(f"@alice: messaggio numero {n}" for n in range(1, 10)))
    assert said.count("[#moderatori]\n  ┃ 🛡 Messaggio in revisione #1") == 1  # one card
    assert "#2" not in said.split("[#moderatori]", 1)[1]
    assert said.count("[DM @alice]") == 1 and "«niente raffiche di messaggi»" in said
    held = said.count("di @alice nascosto")
    assert held >= 2
    assert f"altri {held - 1} trattenuti per la stessa regola" in said
    said = await bot.say("@mara click Rifiuta")
    assert "(attive ora: 1)" in said  # one strike for the whole flood
    assert [review.state for review in await reviews(bot)] == ["rejected"] * held


async def test_an_approved_flood_is_restored_whole(bot_en: TestBot) -> None:
    await members(bot_en)
    await bot_en.advance("2d")
    said = await bot_en.say(*(f"@alice: line {n}" for n in range(1, 9)))
    held = said.count("by @alice hidden")
    said = await bot_en.say("@mara click Approve")
    assert said.count("reposted on behalf of @alice") == held
    assert said.count("[DM @alice] Good news") == 1


async def test_a_newcomers_link_is_held_and_the_same_member_a_day_later_is_not(
    bot: TestBot,
) -> None:
    await members(bot)
    said = await bot.say("@bob in #generale: ciao a tutti, piacere")
    assert "nascosto" not in said
    said = await bot.say("@alice in #generale: guardate https://example.com/offerta")
    assert "nascosto: è in revisione" in said
    await bot.say("advance 2d")
    said = await bot.say("@alice in #generale: la guida è su https://example.com/guida")
    assert "nascosto" not in said
