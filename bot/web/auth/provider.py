"""The authorization-code flow both providers share: send the member to the provider with
a `state` kept in the session, and take the code back only with that same `state`."""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from hmac import compare_digest
from typing import Any, ClassVar
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bot.web.render import DASHBOARD, error_page, redirect
from bot.web.sessions import SESSION, new_token, signed_in_as
from bot.web.state import Dashboard

log = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=10)
# Who the provider says signed in: their id, their name, the communities to look at.
Identity = tuple[str, str, tuple[str, ...]]


class ProviderError(Exception):
    """The provider refused the code or answered something we cannot read."""


def send_to_provider(
    request: web.Request, authorize_url: str, params: Mapping[str, str]
) -> web.Response:
    session = request[SESSION]
    session.state = new_token()
    session.changed = True
    return redirect(f"{authorize_url}?{urlencode({**params, 'state': session.state})}")


def returned_code(request: web.Request) -> str | None:
    """The code the provider sent back, if its `state` is the one this session sent."""
    session = request[SESSION]
    expected, session.state = session.state, None
    session.changed = True
    state = request.query.get("state", "")
    code = request.query.get("code", "")
    if not expected or not state or not compare_digest(state, expected) or not code:
        return None
    return code


def basic_auth(login: str, password: str) -> dict[str, str]:
    """HTTP Basic credentials (RFC 7617), as OAuth2 clients send their id and secret."""
    pair = base64.b64encode(f"{login}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {pair}"}


async def post_form(
    url: str, data: Mapping[str, str], headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession(timeout=TIMEOUT) as client,
        client.post(url, data=dict(data), headers=dict(headers or {})) as response,
    ):
        found = await _json(response)
    if not isinstance(found, dict):
        raise ProviderError("not an object")
    return found


async def get_json(url: str, access_token: str) -> Any:
    headers = {"Authorization": f"Bearer {access_token}"}
    async with (
        aiohttp.ClientSession(timeout=TIMEOUT) as client,
        client.get(url, headers=headers) as response,
    ):
        return await _json(response)


async def _json(response: aiohttp.ClientResponse) -> Any:
    if response.status >= 400:
        raise ProviderError(f"HTTP {response.status}")
    try:
        return await response.json(content_type=None)
    except ValueError:
        raise ProviderError("not JSON") from None


class SignIn:
    """One provider's sign-in: where the member is sent, and who the returned code says
    they are. The flow around it (the `state`, the refusals, the session) is the same for
    every provider."""

    platform: ClassVar[str]

    @property
    def callback_path(self) -> str:
        return f"/login/{self.platform}/callback"

    def configured(self, dashboard: Dashboard) -> bool:
        raise NotImplementedError

    def authorize(self, dashboard: Dashboard) -> tuple[str, dict[str, str]]:
        """The provider's authorize URL and its parameters, `state` aside."""
        raise NotImplementedError

    async def identify(self, dashboard: Dashboard, code: str) -> Identity:
        """Trade the code for who signed in; ProviderError (or a malformed answer) if not."""
        raise NotImplementedError

    async def start(self, request: web.Request) -> web.StreamResponse:
        dashboard = request.app[DASHBOARD]
        if not self.configured(dashboard):
            return error_page(request, 404, "web.error.not_configured")
        url, params = self.authorize(dashboard)
        return send_to_provider(request, url, params)

    async def callback(self, request: web.Request) -> web.StreamResponse:
        dashboard = request.app[DASHBOARD]
        code = returned_code(request)
        if code is None or not self.configured(dashboard):
            return error_page(request, 403, "web.error.sign_in")
        try:
            member_id, name, communities = await self.identify(dashboard, code)
        except (ProviderError, KeyError, TypeError, aiohttp.ClientError, TimeoutError) as error:
            log.warning("sign-in failed", extra={"platform": self.platform, "reason": str(error)})
            return error_page(request, 403, "web.error.sign_in")
        request[SESSION] = signed_in_as(self.platform, member_id, name, communities)
        return redirect("/")

    def setup(self, router: web.UrlDispatcher) -> None:
        router.add_get(f"/login/{self.platform}", self.start)
        router.add_get(self.callback_path, self.callback)
