"""In Chromium: the Digests page shows this week's figures live and the digest posted last
week as it was posted, each with the digest's own chart drawn as a picture."""

from __future__ import annotations

import pytest
from selenium import webdriver

from tests.digest_helpers import advance_to, midweek
from tests.harness import TestBot
from tests.web.browser import on_the_dashboard
from tests.web.browser_steps import driver, sign_in

__all__ = ["driver"]


async def test_the_digests_page_shows_the_week_live_and_the_digest_posted(
    bot: TestBot, driver: webdriver.Chrome, capsys: pytest.CaptureFixture[str]
) -> None:
    await midweek(bot)
    await bot.say("join @sara as staff", "join @alice", "join @bob")
    await bot.say("@alice in #generale: ciao", "@bob in #generale: ci sono anche io")
    posted = await advance_to(bot, 0, 10)  # Monday 09:00 has gone by: the digest is out
    assert "[#staff]" in posted and "Digest settimanale" in posted
    await bot.say("@alice in #generale: e buon lunedì")
    async with on_the_dashboard(bot, driver) as browser:
        await sign_in(bot, browser, capsys, "sara")
        await browser.press("ul.communities a")
        await browser.press("nav.menu a[href$='/digests']")
        live = await browser.text("#live")
        assert "Anteprima del digest" in live
        assert "Messaggi: 3" in live  # today's message counted already
        await browser.click("details.card summary")
        past = await browser.text("details.card")
        assert "Digest settimanale" in past and "Messaggi: 2" in past
        for chart in ("#live img.chart", "details.card img.chart"):
            assert await browser.picture_width(chart) == 800, chart  # the PNG, drawn
        await browser.keep("digests")
