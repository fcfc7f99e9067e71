"""Sign in with Slack: OpenID Connect's authorization-code flow (`openid profile`). The
user info names the workspace and the member; the role is still asked of the bot."""

from __future__ import annotations

import logging

import aiohttp
from aiohttp import web

from bot.web.auth.provider import (
    ProviderError,
    get_json,
    post_form,
    returned_code,
    send_to_provider,
)
from bot.web.render import DASHBOARD, error_page, redirect
from bot.web.sessions import SESSION, signed_in_as
from bot.web.state import Dashboard

log = logging.getLogger(__name__)
CALLBACK = "/login/slack/callback"
SCOPES = "openid profile"
USER_ID = "https://slack.com/user_id"
TEAM_ID = "https://slack.com/team_id"


def configured(dashboard: Dashboard) -> bool:
    settings = dashboard.settings
    return bool(settings.slack_client_id and settings.slack_client_secret)


async def start(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    if not configured(dashboard):
        return error_page(request, 404, "web.error.not_configured")
    settings = dashboard.settings
    return send_to_provider(
        request,
        f"{settings.slack_oidc_url.rstrip('/')}/openid/connect/authorize",
        {
            "response_type": "code",
            "client_id": settings.slack_client_id,
            "scope": SCOPES,
            "redirect_uri": dashboard.url(CALLBACK),
        },
    )


async def callback(request: web.Request) -> web.StreamResponse:
    dashboard = request.app[DASHBOARD]
    code = returned_code(request)
    if code is None or not configured(dashboard):
        return error_page(request, 403, "web.error.sign_in")
    settings = dashboard.settings
    api = f"{settings.slack_oidc_url.rstrip('/')}/api"
    secret = settings.slack_client_secret
    assert secret is not None
    try:
        token = await post_form(
            f"{api}/openid.connect.token",
            {
                "client_id": settings.slack_client_id,
                "client_secret": secret.get_secret_value(),
                "code": code,
                "redirect_uri": dashboard.url(CALLBACK),
            },
        )
        if not token.get("ok"):
            raise ProviderError(str(token.get("error")))
        info = await get_json(f"{api}/openid.connect.userInfo", str(token["access_token"]))
        if not info.get("ok"):
            raise ProviderError(str(info.get("error")))
        member_id, team_id = str(info[USER_ID]), str(info[TEAM_ID])
        name = str(info.get("name") or member_id)
    except (ProviderError, KeyError, TypeError, aiohttp.ClientError, TimeoutError) as error:
        log.warning("Slack sign-in failed", extra={"reason": str(error)})
        return error_page(request, 403, "web.error.sign_in")
    request[SESSION] = signed_in_as("slack", member_id, name, (team_id,))
    return redirect("/")


def setup(router: web.UrlDispatcher) -> None:
    router.add_get("/login/slack", start)
    router.add_get(CALLBACK, callback)
