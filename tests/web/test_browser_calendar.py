"""In Chromium: an announcement scheduled on the Calendar page shows on its day of the
week, moves when edited, and is posted in the chat when the console's clock gets there."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver

from tests.calendar_support import advance_to
from tests.harness import TestBot
from tests.web.browser import on_the_dashboard
from tests.web.browser_steps import driver, sign_in

__all__ = ["driver"]
ROME = ZoneInfo("Europe/Rome")
TEXT = "Stasera diretta con il team <b>alle 21</b>"


async def test_an_announcement_scheduled_on_the_page_is_posted_when_its_time_comes(
    bot: TestBot, driver: webdriver.Chrome, capsys: pytest.CaptureFixture[str]
) -> None:
    await bot.say("join @sara as staff", "@sara in #news: ciao")
    tomorrow = (bot.clock.now() + timedelta(days=1)).astimezone(ROME).date()
    async with on_the_dashboard(bot, driver) as browser:
        await sign_in(bot, browser, capsys, "sara")
        await browser.press("ul.communities a")
        await browser.press("nav.menu a[href$='/calendar']")
        await browser.type("#schedule-channel", "#news")
        await browser.type("#schedule-at", f"{tomorrow.isoformat()} 10:00")
        await browser.type("#schedule-text", TEXT)
        await browser.press("#new-schedule button")
        assert "Annuncio #1 programmato" in await browser.text(".notice")
        if tomorrow.weekday() == 0:  # a new week: the next one holds it
            await browser.press("a[rel=next]")
        day = await browser.text(f"#day-{tomorrow.isoformat()}")
        assert "10:00" in day and TEXT in day  # the member's markup, shown as text
        await browser.keep("calendar")
        # Moved to 11:00 from the page: scheduled anew, and the 10:00 one cancelled.
        await browser.click("#announcement-1 summary")
        await browser.type("#edit-1-at", f"{tomorrow.isoformat()} 11:00")
        await browser.press("#announcement-1 form button.primary")
        notices = await browser.text("main")
        assert "Annuncio #2 programmato" in notices and "Annuncio #1 annullato" in notices
        assert "11:00" in await browser.text(f"#day-{tomorrow.isoformat()}")
    posted = f"[#news] {TEXT}"
    day = tomorrow.isoformat()
    assert posted not in await advance_to(bot, f"{day} 10:59")  # not at 10:00 any more
    assert (await advance_to(bot, f"{day} 11:01")).count(posted) == 1
    assert posted not in await bot.advance("2d")
