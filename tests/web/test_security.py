"""What the dashboard refuses: members without the role, forms without their token,
another community's ids, and members' text as markup."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.model import Member, MessageRef, PostedMessage
from cogs.netiquette.models import PENDING, NetiquetteReview
from cogs.netiquette.service import Finding, ReviewService
from tests.harness import TestBot
from tests.web.support import REVIEW, dashboard, form_token, sign_in

INSULT = "sei proprio un idiota"
PAGES = ("/c/console/console", REVIEW, "/c/console/console/faq", "/c/console/console/settings")
FORM = {
    "question": "Orari?",
    "answer": "Sempre",
    "message": "Ciao",
    "timezone": "UTC",
    "kind": "word",
    "pattern": "zucchina",
    "rule": "1",
}
FAQ = "/c/console/console/faq"
SETTINGS = "/c/console/console/settings"
ACTIONS = (
    f"{REVIEW}/1/approve",
    f"{REVIEW}/1/reject",
    f"{REVIEW}/1/warn",
    f"{FAQ}/add",
    f"{FAQ}/1/edit",
    f"{FAQ}/1/remove",
    f"{FAQ}/groups/1/answer",
    f"{SETTINGS}/community",
    f"{SETTINGS}/welcome",
    f"{SETTINGS}/netiquette",
    f"{SETTINGS}/netiquette-add",
    f"{SETTINGS}/netiquette-remove",
    f"{SETTINGS}/questions",
    f"{SETTINGS}/digest",
    f"{SETTINGS}/show/welcome-preview",
    f"{SETTINGS}/show/netiquette-test",
)


async def _state(bot: TestBot, review_id: int) -> str:
    assert bot.app is not None
    async with bot.app.db.session() as session:
        review = await session.get(NetiquetteReview, review_id)
        assert review is not None
        return review.state


async def _held(bot: TestBot) -> None:
    await bot.say("join @alice", "join @mara as moderator", "join @rita as admin")
    await bot.say(f"@alice in #generale: {INSULT}")


async def test_a_member_without_a_role_gets_403_on_every_page_and_action(bot: TestBot) -> None:
    await _held(bot)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "alice")
        home = await client.get("/")
        assert "Non hai ruoli" in await home.text()  # no community listed
        csrf = await form_token(client, "/")
        for path in PAGES:
            answer = await client.get(path)
            assert answer.status == 403, path
            assert "Non hai il ruolo" in await answer.text()
        before = len(bot.output)
        for path in ACTIONS:
            answer = await client.post(path, data={"csrf": csrf, **FORM})
            assert answer.status == 403, path
        assert bot.output[before:] == []
    assert await _state(bot, 1) == PENDING


async def test_a_moderator_is_refused_the_admin_pages(bot: TestBot) -> None:
    await _held(bot)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")
        assert (await client.get(REVIEW)).status == 200
        assert (await client.get(SETTINGS)).status == 403
        assert (await client.get(FAQ)).status == 403
        csrf = await form_token(client, REVIEW)
        data = {"csrf": csrf, **FORM}
        for path in ACTIONS[3:]:
            assert (await client.post(path, data=data)).status == 403, path


async def test_signed_out_pages_send_to_sign_in_and_actions_are_refused(bot: TestBot) -> None:
    await _held(bot)
    async with dashboard(bot) as client:
        answer = await client.get(REVIEW, allow_redirects=False)
        assert answer.status == 303 and answer.headers["Location"] == "/login"
        csrf = await form_token(client, "/login/link/not-a-token")
        assert (await client.post(ACTIONS[0], data={"csrf": csrf})).status == 403
    assert await _state(bot, 1) == PENDING


async def test_a_missing_or_forged_csrf_token_is_refused(bot: TestBot) -> None:
    await _held(bot)
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")
        csrf = await form_token(client, REVIEW)
        assert (await client.post(ACTIONS[0])).status == 403
        assert (await client.post(ACTIONS[0], data={"csrf": "forged" + csrf})).status == 403
        assert (await client.post(ACTIONS[0], data={"csrf": ""})).status == 403
        assert await _state(bot, 1) == PENDING
        assert (await client.post(ACTIONS[0], data={"csrf": csrf})).status == 200
    assert await _state(bot, 1) == "approved"


async def test_another_communitys_ids_in_a_url_are_refused(bot: TestBot) -> None:
    await _held(bot)
    assert bot.app is not None
    elsewhere = Member("console", "other", "eve", "eve")
    ref = MessageRef("console", "other", "general", "900")
    other_id, _ = await ReviewService(bot.app.db).open(
        PostedMessage(ref, elsewhere, "elsewhere"),
        Finding("insult", "insult"),
        hold="hidden",
        now=bot.clock.now(),
        remind_at=None,
    )
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")
        csrf = await form_token(client, REVIEW)
        answer = await client.post(f"{REVIEW}/{other_id}/approve", data={"csrf": csrf})
        assert answer.status == 404
        assert "elsewhere" not in await answer.text()
        for path in ("/c/console/other/review", "/c/discord/123/review"):
            assert (await client.get(path)).status == 403, path
        page = await (await client.get(REVIEW)).text()
        assert "elsewhere" not in page
    assert await _state(bot, other_id) == PENDING


async def test_a_held_message_with_markup_is_shown_as_text(bot: TestBot) -> None:
    await bot.say("join @alice", "join @mara as moderator")
    await bot.say('@alice: sei un idiota <script>alert("x")</script><img src=x onerror=alert(1)>')
    assert bot.app is not None
    async with bot.app.db.session() as session:
        assert (await session.scalars(select(NetiquetteReview))).first() is not None
    async with dashboard(bot) as client:
        await sign_in(bot, client, "mara")
        answer = await client.get(REVIEW)
        page = await answer.text()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]


async def test_the_session_cookie_is_httponly_and_samesite(bot: TestBot) -> None:
    async with dashboard(bot) as client:
        answer = await client.get("/login")
        cookie = answer.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
