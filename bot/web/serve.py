"""Serving the dashboard: beside the bot in `python -m bot run`, or on its own with
`python -m bot dashboard`, which also prints one-time sign-in links for the console.
The bot's App starts and stops it (`App.dashboard`), so every way of running Ponte
serves it the same way."""

from __future__ import annotations

import asyncio
import logging
import sys

from aiohttp import web

from bot.app import App
from bot.config import Settings
from bot.core.clock import AdjustableClock
from bot.core.model import Role
from bot.web.auth.links import LIFETIME, issue

log = logging.getLogger(__name__)
TEAM = (Role.MODERATOR, Role.STAFF, Role.ADMIN)


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def start_dashboard(bot: App) -> web.AppRunner:
    """Serve the dashboard over `bot` until the returned runner is cleaned up."""
    from bot.web.dashboard import create_web_app

    settings = bot.settings
    runner = web.AppRunner(create_web_app(bot), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.dashboard_host, settings.dashboard_port or 8080).start()
    log.info("dashboard serving", extra={"url": settings.dashboard_base})
    return runner


def _console_bot(settings: Settings, *, dashboard: bool = False) -> App:
    from bot.adapters.console.platform import ConsolePlatform

    clock = AdjustableClock()
    bot = App(settings, clock=clock, dashboard=dashboard)
    bot.add_platform(
        ConsolePlatform(
            bot.db,
            clock,
            bot.translator,
            _write,
            settings.default_language,
            settings.console_community_name,
        )
    )
    return bot


def _platform_bot(settings: Settings) -> App:
    if not (settings.wants_discord or settings.wants_slack):
        return _console_bot(settings, dashboard=True)
    bot = App(settings, dashboard=True)
    if settings.wants_discord:
        from bot.adapters.discord import create_discord_platform

        bot.add_platform(create_discord_platform(settings, bot.services))
    if settings.wants_slack:
        from bot.adapters.slack import create_slack_platform

        bot.add_platform(create_slack_platform(settings, bot.services))
    return bot


async def run_dashboard(settings: Settings, stop: asyncio.Event) -> int:
    """The platforms as `run` starts them (the console community, without its prompt, when
    no tokens are set) and the dashboard over them, until stopped."""
    bot = _platform_bot(settings)
    try:
        await bot.start()
        _write(bot.translator.gettext(None, "web.cli.serving", url=settings.dashboard_base))
        await stop.wait()
    finally:
        await bot.stop()
    return 0


async def print_login_link(settings: Settings, name: str) -> int:
    """A one-time link for a console member who holds a team role; 1 if there is none."""
    from bot.adapters.console.platform import PLATFORM, ConsolePlatform
    from bot.storage.migrate import upgrade

    # Only the roster and the links table are read: no cog starts, nothing is sent.
    await asyncio.to_thread(upgrade, settings.database_url)
    bot = _console_bot(settings)
    member_name = name.strip().lstrip("@").lower()
    try:
        console = bot.platforms.get(PLATFORM)
        assert isinstance(console, ConsolePlatform)
        member = await console.get_member(member_name)
        t = bot.translator.gettext
        if member is None or not any(member.has_role(role) for role in TEAM):
            sys.stderr.write(t(None, "web.cli.no_member", member=member_name) + "\n")
            return 1
        token = await issue(bot.db, PLATFORM, member.id)
        minutes = int(LIFETIME.total_seconds() // 60)
        _write(t(None, "web.cli.link", member=member.id, minutes=minutes))
        _write(f"{settings.dashboard_base}/login/link/{token}")
    finally:
        await bot.db.dispose()
    return 0
