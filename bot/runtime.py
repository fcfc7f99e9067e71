"""`python -m bot run`: the real platforms when their tokens are set, else the console."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.app import App
from bot.config import Settings
from bot.core.heap import settle_after_start

log = logging.getLogger(__name__)


async def run_platforms(
    settings: Settings, stop: asyncio.Event, ready: Callable[[], None] | None = None
) -> int:
    """Ponte on the platforms whose settings are given (the console when none is) until
    `stop` is set; on Discord and Slack, `ready` is called once every platform is up."""
    if not (settings.wants_discord or settings.wants_slack):
        from bot.adapters.console.main import run_console

        return await run_console(settings, None, stop)
    app = App(settings)
    if settings.wants_discord:
        from bot.adapters.discord import create_discord_platform

        app.add_platform(create_discord_platform(settings, app.services))
    if settings.wants_slack:
        from bot.adapters.slack import create_slack_platform

        app.add_platform(create_slack_platform(settings, app.services))
    try:
        await app.start()
        settle_after_start()
        if ready is not None:
            ready()
        await stop.wait()
    finally:
        await app.stop()
    return 0
