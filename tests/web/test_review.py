"""The review queue in the browser is the chat's queue: one decision, shown in both."""

from __future__ import annotations

from tests.harness import TestBot
from tests.web.support import REVIEW, dashboard, form_token, sign_in

INSULT = "sei proprio un idiota"


async def test_approving_on_the_page_edits_the_chat_card_and_restores_the_post(
    bot: TestBot,
) -> None:
    await bot.say("join @alice", "join @mara as moderator")
    await bot.say(f"@alice in #generale: {INSULT}")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")
        page = await client.get(REVIEW)
        text = await page.text()
        assert page.status == 200
        assert INSULT in text and "alice" in text and "Approva" in text
        before = len(bot.output)
        csrf = await form_token(client, REVIEW)
        answer = await client.post(f"{REVIEW}/1/approve", data={"csrf": csrf})
        assert answer.status == 200
        shown = await answer.text()
        assert "Hai approvato la revisione #1" in shown  # the cog's own answer, as a notice
        chat = "\n".join(bot.output[before:])
        assert "✅ Approvato da @mara" in chat  # the card in #moderatori, edited
        assert "ripubblicato a nome di @alice" in chat and INSULT in chat
        # Decided once: the chat's button now finds it decided, and so does the page.
        said = await bot.say("@mara click Approva")
        assert "ripubblicato" not in said
        again = await client.post(f"{REVIEW}/1/reject", data={"csrf": csrf})
        assert "Questa revisione è già stata decisa: ✅ Approvato da @mara" in await again.text()


async def test_a_post_decided_in_the_chat_shows_decided_on_the_page(bot: TestBot) -> None:
    await bot.say("join @alice", "join @mara as moderator", "join @luca as moderator")
    await bot.say(f"@alice in #generale: {INSULT}")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "luca")
        csrf = await form_token(client, REVIEW)
        await bot.say("@mara click Rifiuta")
        page = await (await client.get(REVIEW)).text()
        assert "Niente attende una decisione" in page
        assert "Rifiutato da @mara" in page
        assert f"{REVIEW}/1/approve" not in page  # no buttons on a decided post
        before = len(bot.output)
        late = await client.post(f"{REVIEW}/1/approve", data={"csrf": csrf})
        assert late.status == 200
        assert "già stata decisa: ⛔ Rifiutato da @mara" in await late.text()
        assert bot.output[before:] == []  # nothing reposted, no card edited twice


async def test_a_flood_is_one_entry_that_says_how_many_more_it_holds(bot: TestBot) -> None:
    await bot.say("join @alice", "join @mara as moderator")
    await bot.advance("2d")
    said = await bot.say(*(f"@alice: messaggio numero {n}" for n in range(1, 10)))
    held = said.count("di @alice nascosto")
    assert held >= 2
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")
        page = await (await client.get(REVIEW)).text()
        assert page.count('<article class="card"') == 1
        assert f"altri {held - 1} trattenuti per la stessa regola" in page
        assert "niente raffiche di messaggi" in page
