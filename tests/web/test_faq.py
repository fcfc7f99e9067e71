"""The FAQ page: a recurring question answered here reaches the askers in the chat; entries
are added, edited and removed through the questions cog, and shown as text."""

from __future__ import annotations

import re

from tests.harness import TestBot
from tests.web.support import dashboard, form_token, sign_in

FAQ = "/c/console/console/faq"
MEMBERS = ("join @alice", "join @bob", "join @carla", "join @elena", "join @sara as staff")
ASKED = (
    "@alice: come resetto la password?",
    "@bob: nn riesco a cambiare la pw",
    "@carla: password dimenticata, help",
)
ANSWER = "Vai su Impostazioni → Account → Reimposta password."


async def test_a_recurring_question_answered_on_the_page_is_answered_in_the_chat(
    bot: TestBot,
) -> None:
    await bot.say(*MEMBERS, *ASKED)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        page = await (await client.get(FAQ)).text()
        assert "Gruppo #1" in page and "alice, bob, carla" in page
        csrf = await form_token(client, FAQ)
        before = len(bot.output)
        answer = await client.post(
            f"{FAQ}/groups/1/answer", data={"csrf": csrf, "answer": ANSWER, "question": ""}
        )
        assert answer.status == 200
        shown = await answer.text()
        assert "Risposta salvata nelle FAQ (voce #1)" in shown
        assert "Gruppo #1" not in shown  # no longer waiting
        assert "Data 3 volte" in shown  # given to the three who asked
        chat = "\n".join(bot.output[before:])
        for asker in ("alice", "bob", "carla"):
            assert f"@{asker}, lo staff ha risposto alla tua domanda:" in chat
        assert "✅ Domanda ricorrente #1: risposta nelle FAQ" in chat  # the staff card edited
        said = await bot.say("@elena: ho perso la password, come la recupero?")
        assert "questa domanda ha già una risposta" in said
        assert "Data 4 volte" in await (await client.get(FAQ)).text()


async def test_entries_are_added_edited_removed_and_shown_as_text(bot: TestBot) -> None:
    await bot.say(*MEMBERS)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        csrf = await form_token(client, FAQ)
        added = await client.post(
            f"{FAQ}/add",
            data={
                "csrf": csrf,
                "question": "Quando apre il <script>alert(1)</script> negozio?",
                "answer": "Alle 9 <b>in punto</b>",
            },
        )
        page = await added.text()
        assert "<script>alert" not in page and "<b>in punto" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        entry = re.search(r'id="entry-(\d+)"', page)
        assert entry is not None
        number = entry.group(1)
        edited = await client.post(
            f"{FAQ}/{number}/edit", data={"csrf": csrf, "question": "", "answer": "Alle 10"}
        )
        page = await edited.text()
        assert "Alle 10" in page and "Alle 9" not in page
        empty = await client.post(f"{FAQ}/add", data={"csrf": csrf, "question": "", "answer": ""})
        assert empty.status == 200 and f'id="entry-{number}"' in await empty.text()
        removed = await client.post(f"{FAQ}/{number}/remove", data={"csrf": csrf})
        assert f'id="entry-{number}"' not in await removed.text()
        said = await bot.say("@alice: /faq list")
        assert "Alle 10" not in said


async def test_another_communitys_entry_or_group_is_refused(bot: TestBot) -> None:
    await bot.say(*MEMBERS)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        csrf = await form_token(client, FAQ)
        for path in (f"{FAQ}/999/edit", f"{FAQ}/999/remove", f"{FAQ}/groups/999/answer"):
            answer = await client.post(path, data={"csrf": csrf, "answer": "x", "question": "x"})
            assert answer.status == 404, path
