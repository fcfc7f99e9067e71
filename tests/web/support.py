"""The dashboard over a bot running on the console, and a browser's steps in its words."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App
from bot.web.auth.links import issue
from bot.web.dashboard import create_web_app
from tests.harness import TestBot

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
REVIEW = "/c/console/console/review"
Client = TestClient[web.Request, web.Application]


@asynccontextmanager
async def dashboard(bot: TestBot | App) -> AsyncIterator[Client]:
    """A browser's view of the dashboard over a running bot (the console's, or any App)."""
    app = bot if isinstance(bot, App) else bot.app
    assert app is not None
    async with TestClient(TestServer(create_web_app(app))) as client:
        yield client


def csrf_in(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the page has no form"
    return found.group(1)


async def sign_in(bot: TestBot, client: Client, name: str) -> None:
    """Sign in with a one-time link, as the console's `--login` prints it."""
    assert bot.app is not None
    token = await issue(bot.app.db, "console", name)
    page = await client.get(f"/login/link/{token}")
    answer = await client.post(
        f"/login/link/{token}", data={"csrf": csrf_in(await page.text())}, allow_redirects=False
    )
    assert answer.status == 303


async def form_token(client: Client, path: str) -> str:
    page = await client.get(path)
    assert page.status == 200, await page.text()
    return csrf_in(await page.text())
