"""Signing in on the console with a one-time link, printed by `dashboard --login`."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.web.serve import print_login_link
from tests.harness import TestBot
from tests.web.support import csrf_in, dashboard


async def test_a_printed_link_signs_in_once(
    bot: TestBot, capsys: pytest.CaptureFixture[str]
) -> None:
    await bot.say("join @mara as moderator")
    assert bot.app is not None
    settings = Settings(database_url=bot.database_url, _env_file=None)  # type: ignore[call-arg]
    assert await print_login_link(settings, "@mara") == 0
    printed = capsys.readouterr().out
    assert "Link di accesso monouso per @mara" in printed
    link = printed.strip().splitlines()[-1]
    path = link.removeprefix(settings.dashboard_base)
    assert path.startswith("/login/link/")
    async with dashboard(bot) as client:
        page = await client.get(path)  # a preview fetching the link does not use it up
        csrf = csrf_in(await page.text())
        page = await client.get(path)
        used = await client.post(path, data={"csrf": csrf_in(await page.text())})
        assert used.status == 200
        home = await used.text()
        assert "Accesso come mara" in home and "/c/console/console" in home
        # Signing in gave a new CSRF token: the one from before the sign-in is refused.
        assert (await client.post(path, data={"csrf": csrf})).status == 403
    async with dashboard(bot) as other:
        page = await other.get(path)
        again = await other.post(path, data={"csrf": csrf_in(await page.text())})
        assert again.status == 403
        assert "già stato usato o è scaduto" in await again.text()
        assert (await other.get("/", allow_redirects=False)).headers["Location"] == "/login"


async def test_no_link_for_a_member_without_a_role(
    bot: TestBot, capsys: pytest.CaptureFixture[str]
) -> None:
    await bot.say("join @alice")
    settings = Settings(database_url=bot.database_url, _env_file=None)  # type: ignore[call-arg]
    assert await print_login_link(settings, "@alice") == 1
    assert await print_login_link(settings, "@nobody") == 1
    captured = capsys.readouterr()
    assert "/login/link/" not in captured.out
    assert "@alice" in captured.err
