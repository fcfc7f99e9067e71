"""The dashboard over Ponte on Slack (the real slack-bolt on the emulator): a member who
signed in with Slack is a moderator where the bot says so (the review channel's members),
and approving on the page edits the review card in Slack."""

from __future__ import annotations

import copy
from pathlib import Path

from aiohttp import web
from pydantic import SecretStr

from tests.adapters.slack_support import SlackRun, bot_posts, button_ids, new_emulator
from tests.emulators.slack import SlackEmulator
from tests.web.support import Client, csrf_in, dashboard
from tests.web.test_providers import ACCESS, CODE, provider

INSULT = "sei proprio un idiota"


def fake_slack_for(user_id: str, team_id: str) -> web.Application:
    """Slack's OpenID Connect endpoints, answering for one member of one workspace."""

    async def token(request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("code") != CODE:
            return web.json_response({"ok": False, "error": "invalid_code"})
        return web.json_response({"ok": True, "access_token": ACCESS})

    async def user_info(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "https://slack.com/user_id": user_id,
                "https://slack.com/team_id": team_id,
                "name": "someone",
            }
        )

    app = web.Application()
    app.router.add_post("/api/openid.connect.token", token)
    app.router.add_get("/api/openid.connect.userInfo", user_info)
    return app


async def _sign_in(client: Client) -> None:
    sent = await client.get("/login/slack", allow_redirects=False)
    state = sent.headers["Location"].split("state=")[1].split("&")[0]
    assert (await client.get(f"/login/slack/callback?code={CODE}&state={state}")).status == 200


def _card(emu: SlackEmulator) -> dict[str, object]:
    (card,) = [m for m in bot_posts(emu, "reviews") if "blocks" in m]
    return card


async def test_a_slack_moderator_approves_on_the_page_and_the_card_changes(
    tmp_path: Path,
) -> None:
    emu = new_emulator()
    await emu.start()
    run = SlackRun(emu, "socket", f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    try:
        await run.start()
        pia = emu.add_user("pia", display_name="Pia")
        mara = emu.add_user("mara", channels=["reviews"])
        await emu.post_message(pia, "general", INSULT)
        await run.settle()
        before = copy.deepcopy(_card(emu))
        assert "Approva" in button_ids(before)
        assert run.app is not None
        review = f"/c/slack/{emu.team_id}/review"
        for who in (pia, mara):
            async with provider(fake_slack_for(who, emu.team_id)) as url:
                run.app.settings = run.app.settings.model_copy(
                    update={
                        "slack_client_id": "sid",
                        "slack_client_secret": SecretStr("ssecret"),
                        "slack_oidc_url": url,
                    }
                )
                async with dashboard(run.app) as client:
                    await _sign_in(client)
                    home = await (await client.get("/")).text()
                    if who == pia:
                        assert f"/c/slack/{emu.team_id}" not in home
                        assert (await client.get(review)).status == 403
                        continue
                    assert f'href="/c/slack/{emu.team_id}"' in home
                    page = await (await client.get(review)).text()
                    assert INSULT in page and "Pia" in page
                    done = await client.post(f"{review}/1/approve", data={"csrf": csrf_in(page)})
                    assert "Hai approvato la revisione #1" in await done.text()
        await run.settle()
        after = _card(emu)
        assert after["ts"] == before["ts"]  # the same card, edited
        assert "Approvato da" in str(after["blocks"]) and "Approvato da" not in str(
            before["blocks"]
        )
        assert button_ids(after) == {}
    finally:
        await run.stop()
        await emu.stop()
