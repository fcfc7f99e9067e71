"""Log in with Discord: OAuth2's authorization-code flow, scopes `identify` and `guilds`.
The guilds tell which servers to look at; the role in each is still asked of the bot."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web

from bot.web.access import known_among
from bot.web.auth.provider import (
    ProviderError,
    basic_auth,
    get_json,
    post_form,
    returned_code,
    send_to_provider,
)
from bot.web.render import DASHBOARD, error_page, redirect
from bot.web.sessions import SESSION, signed_in_as
from bot.web.state import Dashboard

log = logging.getLogger(__name__)
CALLBACK = "/login/discord/callback"
SCOPES = "identify guilds"


def configured(dashboard: Dashboard) -> bool:
    settings = dashboard.settings
    return bool(settings.discord_client_id and settings.discord_client_secret)


async def start(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    if not configured(dashboard):
        return error_page(request, 404, "web.error.not_configured")
    settings = dashboard.settings
    return send_to_provider(
        request,
        f"{settings.discord_oauth_url.rstrip('/')}/oauth2/authorize",
        {
            "response_type": "code",
            "client_id": settings.discord_client_id,
            "scope": SCOPES,
            "redirect_uri": dashboard.url(CALLBACK),
            "prompt": "none",
        },
    )


async def callback(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    code = returned_code(request)
    if code is None or not configured(dashboard):
        return error_page(request, 403, "web.error.sign_in")
    settings = dashboard.settings
    api = f"{settings.discord_oauth_url.rstrip('/')}/api"
    secret = settings.discord_client_secret
    assert secret is not None
    try:
        token = await post_form(
            f"{api}/oauth2/token",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": dashboard.url(CALLBACK),
            },
            headers=basic_auth(settings.discord_client_id, secret.get_secret_value()),
        )
        access = str(token["access_token"])
        user = await get_json(f"{api}/users/@me", access)
        guilds = await get_json(f"{api}/users/@me/guilds", access)
        member_id = str(user["id"])
        name = str(user.get("global_name") or user.get("username") or member_id)
        communities = tuple(str(guild["id"]) for guild in guilds)
    except (ProviderError, KeyError, TypeError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("Discord sign-in failed", extra={"reason": str(error)})
        return error_page(request, 403, "web.error.sign_in")
    kept = await known_among(dashboard.services, "discord", communities)
    request[SESSION] = signed_in_as("discord", member_id, name, kept)
    return redirect("/")


def setup(router: web.UrlDispatcher) -> None:
    router.add_get("/login/discord", start)
    router.add_get(CALLBACK, callback)
