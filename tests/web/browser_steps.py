"""Steps the browser tests share: a browser per test module, and signing in on the
console's flow, with the link `python -m bot dashboard --login @name` prints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver

from bot.config import Settings
from bot.web.serve import print_login_link
from tests.harness import TestBot
from tests.web.browser import Browser, chromium


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    with chromium() as started:
        yield started


async def sign_in(
    bot: TestBot, browser: Browser, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The printed one-time link, opened and its one button pressed."""
    settings = Settings(database_url=bot.database_url, _env_file=None)  # type: ignore[call-arg]
    assert await print_login_link(settings, f"@{name}") == 0
    link = capsys.readouterr().out.strip().splitlines()[-1]
    assert link.startswith(settings.dashboard_base + "/login/link/")
    await browser.open(link.removeprefix(settings.dashboard_base))
    await browser.press("main form button")
    assert f"Accesso come {name}" in await browser.text("header")
