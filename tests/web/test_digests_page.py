"""The Digests page: the digest posted is shown as it was posted, even after the figures
moved on; a chart is a PNG for this week or a week this community had a digest; staff
only."""

from __future__ import annotations

from sqlalchemy import update

from cogs.digest.activity import hour_of
from cogs.digest.models import ActivityHour
from tests.digest_helpers import advance_to, midweek
from tests.harness import TestBot
from tests.web.support import dashboard, sign_in

DIGESTS = "/c/console/console/digests"
PNG = b"\x89PNG\r\n\x1a\n"


async def test_a_posted_digest_is_shown_as_posted_and_the_week_live(bot: TestBot) -> None:
    await midweek(bot)
    await bot.say("join @sara as staff", "join @alice", "join @mara as moderator")
    await bot.say("@alice in #generale: ciao", "@alice in #generale: ci sono")
    posted = await advance_to(bot, 0, 10)
    assert "Digest settimanale" in posted
    week = next(
        line.split("digest-")[1].removesuffix(".png")
        for line in posted.splitlines()
        if "🖼 digest-" in line
    )
    # The hours before the digest's own: the two first messages, not the one below.
    posted_hour = hour_of(bot.clock.now())
    await bot.say("@alice in #generale: <script>alert(1)</script>")
    assert bot.app is not None
    async with bot.app.db.session() as session:  # the counts of the week posted move on
        await session.execute(
            update(ActivityHour)
            .where(ActivityHour.hour < posted_hour)
            .values(messages=ActivityHour.messages + 40)
        )
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        page = await (await client.get(DIGESTS)).text()
        live, _, past = page.partition("Digest pubblicati")
        assert "Anteprima del digest" in live and "Messaggi: 43 " in live
        assert f'id="digest-{week}"' in past and "Messaggi: 2 " in past  # as it was posted
        assert "<script>" not in page  # counts only: no member's text reaches a digest
        for name in ("current", week):
            chart = await client.get(f"{DIGESTS}/{name}.png")
            assert chart.status == 200 and chart.content_type == "image/png"
            assert (await chart.read()).startswith(PNG)
        assert (await client.get(f"{DIGESTS}/2020-01-06.png")).status == 404
        assert (await client.get(f"{DIGESTS}/yesterday.png")).status == 404
        await sign_in(bot, client, "mara")  # a moderator, not staff
        assert (await client.get(DIGESTS)).status == 403
        assert (await client.get(f"{DIGESTS}/current.png")).status == 403


async def test_with_no_digest_posted_yet_the_page_says_so(bot: TestBot) -> None:
    await bot.say("join @sara as staff")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "sara")
        page = await (await client.get(DIGESTS)).text()
    assert "Nessun digest è ancora stato pubblicato." in page
    assert "Anteprima del digest" in page
