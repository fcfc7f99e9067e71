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
        assert "Approvato da mara" in await again.text() or "già" in await again.text()
