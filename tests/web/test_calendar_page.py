"""The Calendar page over the calendar cog: its rules answer the page's forms, a month
unrolls a series, and what is not the member's to change is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.model import Community
from cogs.calendar.models import CANCELLED, SCHEDULED, Announcement
from tests.harness import TestBot
from tests.web.support import dashboard, form_token, sign_in

CALENDAR = "/c/console/console/calendar"
ROME = ZoneInfo("Europe/Rome")


def _local(bot: TestBot, days: int, hour: int) -> tuple[str, str]:
    """A day `days` from now and that day at `hour`, as the form takes them."""
    day = (bot.clock.now() + timedelta(days=days)).astimezone(ROME).date()
    return day.isoformat(), f"{day.isoformat()} {hour:02d}:00"


async def _rows(bot: TestBot) -> list[Announcement]:
    assert bot.app is not None
    async with bot.app.db.session() as session:
        return list((await session.scalars(select(Announcement).order_by(Announcement.id))).all())


async def test_a_month_unrolls_a_weekly_series_in_the_community_s_time(bot: TestBot) -> None:
    await bot.say("join @sara as staff")
    day, at = _local(bot, 1, 10)
    await bot.say(f'@sara: /announce schedule channel:#news at:"{at}" text:"Novità" repeat:weekly')
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        page = await (await client.get(f"{CALENDAR}?view=month&at={day}")).text()
    first = datetime.fromisoformat(at).replace(tzinfo=ROME)
    weekly = [first + timedelta(weeks=n) for n in range(6)]
    shown = [moment for moment in weekly if moment.month == first.month]
    for moment in shown:
        assert f'id="day-{moment.date().isoformat()}"' in page
        assert f'datetime="{moment.astimezone(UTC).isoformat()}">10:00<' in page
    assert page.count('<span class="what">Novità</span>') == len(shown)


async def test_the_cog_s_rules_answer_the_page_s_forms(bot: TestBot) -> None:
    await bot.say("join @sara as staff")
    _, tomorrow = _local(bot, 1, 18)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        csrf = await form_token(client, CALENDAR)
        past = await client.post(
            f"{CALENDAR}/new/schedule",
            data={"csrf": csrf, "channel": "#news", "at": "2020-01-01 10:00", "text": "Ciao"},
        )
        assert "«2020-01-01 10:00» è già passato" in await past.text()
        nowhere = await client.post(
            f"{CALENDAR}/new/schedule", data={"csrf": csrf, "at": tomorrow, "text": "Ciao"}
        )
        assert "Indica il canale" in await nowhere.text()
        assert await _rows(bot) == []
        before = len(bot.output)
        live = await client.post(
            f"{CALENDAR}/new/live",
            data={"csrf": csrf, "channel": "#eventi", "at": tomorrow, "title": "Q&A"},
        )
        assert "Sessione #1 programmata" in await live.text()
        chat = "\n".join(bot.output[before:])
        assert "[#eventi]" in chat and "Dal vivo: Q&A" in chat and "Ricordamelo" in chat
        refused = await client.post(f"{CALENDAR}/1/edit", data={"csrf": csrf, "at": tomorrow})
        assert "Una sessione dal vivo non si modifica" in await refused.text()
        cancelled = await client.post(f"{CALENDAR}/1/cancel", data={"csrf": csrf})
        assert "Annuncio #1 annullato" in await cancelled.text()
    assert [row.state for row in await _rows(bot)] == [CANCELLED]


async def test_what_is_not_the_member_s_to_change_is_refused(bot: TestBot) -> None:
    await bot.say("join @sara as staff", "join @mara as moderator")
    assert bot.app is not None
    async with bot.app.db.session() as session:
        session.add(
            Announcement(
                platform="console",
                community_id="elsewhere",
                channel_id="news",
                author_id="x",
                kind="post",
                title="",
                text="Someone else's",
                rule=None,
                timezone="Europe/Rome",
                local_start="2030-01-01T10:00:00",
                next_at=datetime(2030, 1, 1, 9, tzinfo=UTC),
                state=SCHEDULED,
                created_at=bot.clock.now(),
            )
        )
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")  # a moderator, not staff
        assert (await client.get(CALENDAR)).status == 403
        await sign_in(bot, client, "sara")
        page = await client.get(f"{CALENDAR}?view=month&at=2030-01-01")
        assert "Someone else" not in await page.text()
        csrf = await form_token(client, CALENDAR)
        for action in ("cancel", "edit"):
            answer = await client.post(f"{CALENDAR}/1/{action}", data={"csrf": csrf})
            assert answer.status == 404
            assert "nessun annuncio #1 in questa community" in await answer.text()
        forged = await client.post(f"{CALENDAR}/1/cancel", data={"csrf": "forged"})
        assert forged.status == 403
    assert [row.state for row in await _rows(bot)] == [SCHEDULED]


async def test_an_edit_keeps_what_was_left_and_a_dash_ends_the_series(bot: TestBot) -> None:
    await bot.say("join @sara as staff")
    _, at = _local(bot, 2, 9)
    await bot.say(f'@sara: /announce schedule channel:#news at:"{at}" text:"Novità" repeat:weekly')
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        page = await (await client.get(CALENDAR)).text()
        assert 'name="channel" value="#news"' in page  # by name on the page
        csrf = await form_token(client, CALENDAR)
        edited = await client.post(
            f"{CALENDAR}/1/edit",
            data={"csrf": csrf, "channel": "#news", "at": "", "text": "Novità!", "repeat": "-"},
        )
        shown = await edited.text()
        assert "Annuncio #2 programmato" in shown and "(una volta)" in shown
        assert "Annuncio #1 annullato" in shown
        far = await client.get(f"{CALENDAR}?view=month&at=9999-12-01")
        assert far.status == 200  # a view decades away is brought back within reach
    first, second = await _rows(bot)
    assert first.state == CANCELLED
    assert (second.channel_id, second.text, second.rule) == ("news", "Novità!", None)
    assert second.next_at == first.next_at


async def test_times_follow_the_community_s_own_time_zone(bot: TestBot) -> None:
    await bot.say("join @sara as staff")
    assert bot.app is not None
    community = Community("console", "console", "")
    await bot.app.services.communities.set_timezone(community, "America/New_York")
    zone = ZoneInfo("America/New_York")
    day = (bot.clock.now() + timedelta(days=2)).astimezone(zone).date().isoformat()
    await bot.say(f'@sara: /announce schedule channel:#news at:"{day} 23:30" text:"Tardi"')
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        page = await (await client.get(f"{CALENDAR}?at={day}")).text()
    assert "America/New_York" in page
    cell = page.split(f'id="day-{day}"', 1)[1].split("</section>", 1)[0]
    assert ">23:30<" in cell and "Tardi" in cell  # on its New York day, though Rome is past it
