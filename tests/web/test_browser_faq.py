"""In Chromium: a recurring question answered on the FAQ page is answered in the chat, to
those who asked and, from the FAQ, to the next member who asks it."""

from __future__ import annotations

import pytest
from selenium import webdriver

from tests.harness import TestBot
from tests.web.browser import on_the_dashboard
from tests.web.browser_steps import driver, sign_in

__all__ = ["driver"]
ASKED = (
    "@alice: come resetto la password?",
    "@bob: nn riesco a cambiare la pw",
    "@carla: password dimenticata, help",
)
ANSWER = "Vai su Impostazioni → Account → Reimposta password."


async def test_a_recurring_question_answered_in_the_browser_is_answered_in_the_chat(
    bot: TestBot, driver: webdriver.Chrome, capsys: pytest.CaptureFixture[str]
) -> None:
    await bot.say("join @alice", "join @bob", "join @carla", "join @elena", "join @sara as staff")
    await bot.say(*ASKED)
    async with on_the_dashboard(bot, driver) as browser:
        await sign_in(bot, browser, capsys, "sara")
        await browser.press("ul.communities a")
        await browser.press("nav.menu a[href$='/faq']")
        waiting = await browser.text("#group-1")
        assert "alice, bob, carla" in waiting
        await browser.keep("faq")
        before = len(bot.output)
        await browser.type("#answer-1", ANSWER)
        await browser.press("#group-1 button")
        assert "Risposta salvata nelle FAQ (voce #1)" in await browser.text(".notice")
        assert ANSWER in await browser.text("#entry-1")
        chat = "\n".join(bot.output[before:])
        for asker in ("alice", "bob", "carla"):
            assert f"@{asker}, lo staff ha risposto alla tua domanda:" in chat
        # The next member asking it gets the FAQ's answer in the chat at once.
        said = await bot.say("@elena: ho perso la password, come la recupero?")
        assert "questa domanda ha già una risposta" in said and ANSWER in said
        await browser.open(browser.path)
        assert "Data 4 volte" in await browser.text("#entry-1")
