"""Log in with Discord (OAuth2) and Sign in with Slack (OpenID Connect), each against a
fake of the provider's own endpoints served here: the real flow, no live call."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qs, urlsplit

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from tests.harness import TestBot
from tests.web.support import REVIEW, Client, dashboard

CODE = "a-good-code"
ACCESS = "an-access-token"
BASE = "http://127.0.0.1:8080"


def _bearer(request: web.Request) -> None:
    if request.headers.get("Authorization") != f"Bearer {ACCESS}":
        raise web.HTTPUnauthorized()


def fake_discord(seen: list[dict[str, str]]) -> web.Application:
    async def token(request: web.Request) -> web.Response:
        form = dict(await request.post())
        seen.append({key: str(value) for key, value in form.items()})
        sent = request.headers.get("Authorization", "").removeprefix("Basic ")
        login, _, password = base64.b64decode(sent).decode().partition(":")
        expected = {
            "grant_type": "authorization_code",
            "code": CODE,
            "redirect_uri": f"{BASE}/login/discord/callback",
        }
        if (login, password) != ("cid", "csecret") or form != expected:
            return web.json_response({"error": "invalid_grant"}, status=400)
        return web.json_response({"access_token": ACCESS, "token_type": "Bearer"})

    async def me(request: web.Request) -> web.Response:
        _bearer(request)
        return web.json_response({"id": "4242", "username": "mara", "global_name": "Mara R."})

    async def guilds(request: web.Request) -> web.Response:
        _bearer(request)
        return web.json_response([{"id": "111", "name": "Negozio"}])

    app = web.Application()
    app.router.add_post("/api/oauth2/token", token)
    app.router.add_get("/api/users/@me", me)
    app.router.add_get("/api/users/@me/guilds", guilds)
    return app


def fake_slack(seen: list[dict[str, str]]) -> web.Application:
    async def token(request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        seen.append(form)
        expected = {
            "client_id": "sid",
            "client_secret": "ssecret",
            "code": CODE,
            "redirect_uri": f"{BASE}/login/slack/callback",
        }
        if form != expected:
            return web.json_response({"ok": False, "error": "invalid_code"})
        return web.json_response({"ok": True, "access_token": ACCESS, "id_token": "x.y.z"})

    async def user_info(request: web.Request) -> web.Response:
        _bearer(request)
        return web.json_response(
            {
                "ok": True,
                "sub": "U0MARA",
                "https://slack.com/user_id": "U0MARA",
                "https://slack.com/team_id": "T0SHOP",
                "name": "Mara Rossi",
            }
        )

    app = web.Application()
    app.router.add_post("/api/openid.connect.token", token)
    app.router.add_get("/api/openid.connect.userInfo", user_info)
    return app


@asynccontextmanager
async def provider(app: web.Application) -> AsyncIterator[str]:
    async with TestServer(app) as server:
        yield str(server.make_url("")).rstrip("/")


def _query(location: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def _use_discord_at(bot: TestBot, url: str) -> None:
    """Discord sign-in configured, against the fake provider at `url`."""
    assert bot.app is not None
    bot.app.settings = bot.app.settings.model_copy(
        update={
            "discord_client_id": "cid",
            "discord_client_secret": SecretStr("csecret"),
            "discord_oauth_url": url,
        }
    )


async def _go(client: Client, path: str) -> ClientResponse:
    return await client.get(path, allow_redirects=False)


async def test_log_in_with_discord(bot: TestBot) -> None:
    seen: list[dict[str, str]] = []
    assert bot.app is not None
    async with provider(fake_discord(seen)) as url:
        _use_discord_at(bot, url)
        async with dashboard(bot) as client:
            assert "Accedi con Discord" in await (await client.get("/login")).text()
            sent = await _go(client, "/login/discord")
            assert sent.status == 303
            location = sent.headers["Location"]
            assert location.startswith(f"{url}/oauth2/authorize?")
            asked = _query(location)
            assert asked["client_id"] == "cid" and asked["scope"] == "identify guilds"
            assert asked["redirect_uri"] == f"{BASE}/login/discord/callback"
            state = asked["state"]
            forged = await _go(client, f"/login/discord/callback?code={CODE}&state=forged")
            assert forged.status == 403 and seen == []  # no code is spent on a forged state
            state = _query((await _go(client, "/login/discord")).headers["Location"])["state"]
            back = await _go(client, f"/login/discord/callback?code={CODE}&state={state}")
            assert back.status == 303 and back.headers["Location"] == "/"
            home = await (await client.get("/")).text()
            assert "Accesso come Mara R." in home
            assert "Non hai ruoli" in home  # no Discord server of this bot gives Mara a role
            assert (await client.get(REVIEW)).status == 403  # a Discord member, not the console's
            again = await _go(client, f"/login/discord/callback?code={CODE}&state={state}")
            assert again.status == 403  # the state was used once
    assert len(seen) == 1


async def test_a_refused_discord_code_signs_nobody_in(bot: TestBot) -> None:
    seen: list[dict[str, str]] = []
    assert bot.app is not None
    async with provider(fake_discord(seen)) as url:
        _use_discord_at(bot, url)
        async with dashboard(bot) as client:
            state = _query((await _go(client, "/login/discord")).headers["Location"])["state"]
            back = await _go(client, f"/login/discord/callback?code=stolen&state={state}")
            assert back.status == 403
            assert "accesso non è riuscito" in await back.text()
            assert (await _go(client, "/")).headers["Location"] == "/login"


async def test_sign_in_with_slack(bot: TestBot) -> None:
    seen: list[dict[str, str]] = []
    assert bot.app is not None
    async with provider(fake_slack(seen)) as url:
        bot.app.settings = bot.app.settings.model_copy(
            update={
                "slack_client_id": "sid",
                "slack_client_secret": SecretStr("ssecret"),
                "slack_oidc_url": url,
            }
        )
        async with dashboard(bot) as client:
            page = await (await client.get("/login")).text()
            assert "Accedi con Slack" in page and "Accedi con Discord" not in page
            sent = await _go(client, "/login/slack")
            location = sent.headers["Location"]
            assert location.startswith(f"{url}/openid/connect/authorize?")
            asked = _query(location)
            assert asked["scope"] == "openid profile" and asked["response_type"] == "code"
            assert asked["redirect_uri"] == f"{BASE}/login/slack/callback"
            back = await _go(client, f"/login/slack/callback?code={CODE}&state={asked['state']}")
            assert back.status == 303
            assert "Accesso come Mara Rossi" in await (await client.get("/")).text()
            assert (await client.get("/c/slack/T0OTHER/review")).status == 403
    assert len(seen) == 1


async def test_unconfigured_providers_are_not_offered(bot: TestBot) -> None:
    async with dashboard(bot) as client:
        page = await (await client.get("/login")).text()
        assert "Accedi con Discord" not in page and "Accedi con Slack" not in page
        assert (await client.get("/login/discord")).status == 404
        assert (await client.get("/login/slack")).status == 404
