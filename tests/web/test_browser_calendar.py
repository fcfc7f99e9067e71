"""In Chromium: an announcement scheduled on the Calendar page shows on its day of the
week, moves when edited, and is posted in the chat when the console's clock gets there."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver

from tests.calendar_support import advance_to
from tests.harness import TestBot
from tests.test_quiz_support import import_bank
from tests.web.browser import on_the_dashboard
from tests.web.browser_steps import driver, sign_in

__all__ = ["driver"]
ROME = ZoneInfo("Europe/Rome")
TEXT = "Stasera diretta con il team <b>alle 21</b>"


async def test_an_announcement_scheduled_on_the_page_is_posted_when_its_time_comes(
    bot: TestBot, driver: webdriver.Chrome, capsys: pytest.CaptureFixture[str]
) -> None:
    await bot.say("join @sara as staff", "join @mara as staff", "@sara in #news: ciao")
    tomorrow = (bot.clock.now() + timedelta(days=1)).astimezone(ROME).date()
    # Scheduled in the chat, here and by the quizzes: the page shows the same calendar.
    await import_bank(bot)
    await bot.say(
        f'@mara: /quiz schedule bank:storia at:"{tomorrow.isoformat()} 21:00" questions:2 '
        "seconds:10 channel:#quiz",
        f'@sara: /announce schedule channel:#news at:"{tomorrow.isoformat()} 08:30" '
        'text:"Buongiorno a tutti!" repeat:"ogni giorno"',
        f'@sara: /announce live title:"Domande e risposte" at:"{tomorrow.isoformat()} 18:00" '
        "channel:#eventi",
    )
    async with on_the_dashboard(bot, driver) as browser:
        await sign_in(bot, browser, capsys, "sara")
        await browser.press("ul.communities a")
        await browser.press("nav.menu a[href$='/calendar']")
        await browser.type("#schedule-channel", "#news")
        await browser.type("#schedule-at", f"{tomorrow.isoformat()} 10:00")
        await browser.type("#schedule-text", TEXT)
        await browser.press("#new-schedule button")
        assert "Annuncio #3 programmato" in await browser.text(".notice")
        if tomorrow.weekday() == 0:  # a new week: the next one holds it
            await browser.press("a[rel=next]")
        day = await browser.text(f"#day-{tomorrow.isoformat()}")
        assert "10:00" in day and TEXT in day  # the member's markup, shown as text
        assert "08:30" in day and "Buongiorno a tutti!" in day
        assert "18:00" in day and "Domande e risposte" in day
        assert "21:00 quiz\nstoria\n#quiz" in day  # the quizzes cog's own entry
        # The daily post falls on every following day of the week too.
        for later in range(1, 7 - tomorrow.weekday()):
            day_after = (tomorrow + timedelta(days=later)).isoformat()
            assert "Buongiorno a tutti!" in await browser.text(f"#day-{day_after}")
        await browser.keep("calendar")
        # Moved to 11:00 from the page: scheduled anew, and the 10:00 one cancelled.
        await browser.click("#announcement-3 summary")
        await browser.type("#edit-3-at", f"{tomorrow.isoformat()} 11:00")
        await browser.press("#announcement-3 form button.primary")
        notices = await browser.text("main")
        assert "Annuncio #4 programmato" in notices and "Annuncio #3 annullato" in notices
        assert "11:00" in await browser.text(f"#day-{tomorrow.isoformat()}")
    posted = f"[#news] {TEXT}"
    day = tomorrow.isoformat()
    assert posted not in await advance_to(bot, f"{day} 10:59")  # not at 10:00 any more
    assert (await advance_to(bot, f"{day} 11:01")).count(posted) == 1
    assert posted not in await bot.advance("2d")
