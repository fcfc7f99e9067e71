"""In Chromium: signing in with the console's one-time link, then approving a held post
on the review page, and the chat's card changing with it."""

from __future__ import annotations

import pytest
from selenium import webdriver

from tests.harness import TestBot
from tests.web.browser import on_the_dashboard
from tests.web.browser_steps import driver, sign_in

__all__ = ["driver"]
INSULT = "sei proprio un idiota"


async def test_a_moderator_signs_in_and_approves_a_held_post(
    bot: TestBot, driver: webdriver.Chrome, capsys: pytest.CaptureFixture[str]
) -> None:
    await bot.say("join @alice", "join @mara as moderator")
    held = await bot.say(f"@alice in #generale: {INSULT}")
    assert "[#moderatori]" in held and "Approva" in held
    async with on_the_dashboard(bot, driver) as browser:
        await browser.open("/c/console/console/review")
        assert browser.path == "/login"  # nobody signed in yet
        await sign_in(bot, browser, capsys, "mara")
        await browser.press("ul.communities a")  # the community, from the start page
        assert browser.path == "/c/console/console/review"
        queue = await browser.text("#review-1")
        assert INSULT in queue and "alice" in queue
        await browser.keep("review")
        before = len(bot.output)
        await browser.press("#review-1 button.approve")
        assert "Hai approvato la revisione #1" in await browser.text(".notice")
        assert "Approvato" in await browser.text("ul.decided")
        chat = "\n".join(bot.output[before:])
        assert "✅ Approvato da @mara" in chat  # the card in #moderatori, edited
        assert "ripubblicato a nome di @alice" in chat and INSULT in chat
        # The chat's own button now finds the post decided: once, wherever it was decided.
        assert "ripubblicato" not in await bot.say("@mara click Approva")
