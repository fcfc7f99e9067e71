"""Start Ponte on the console: interactive, or a script printed to standard output."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.runner import ConsoleRunner
from bot.app import App
from bot.config import Settings
from bot.core.clock import AdjustableClock


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def run_console(settings: Settings, script: Path | None, stop: asyncio.Event) -> int:
    clock = AdjustableClock()
    app = App(settings, clock=clock)
    console = ConsolePlatform(
        app.db,
        clock,
        app.translator,
        _write,
        settings.default_language,
        settings.console_community_name,
    )
    app.add_platform(console)
    try:
        dispatcher = await app.start()
        runner = ConsoleRunner(console, dispatcher, app.scheduler)
        if script is not None:
            lines = await asyncio.to_thread(script.read_text, encoding="utf-8")
            await runner.run_lines(lines.splitlines(), stop)
        else:
            await runner.interactive(stop)
    finally:
        await app.stop()
    return 0
