"""Members' messages through the whole console bot, with some cogs disabled."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.runner import ConsoleRunner
from bot.app import App
from bot.config import Settings
from bot.core.clock import AdjustableClock


async def message_path(messages: int, *, disabled: str) -> float:
    """Seconds for `messages` posts by ten members, after a warm-up."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "path.db"
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{path}",
            disabled_cogs=disabled,
            _env_file=None,  # type: ignore[call-arg]
        )
        clock = AdjustableClock()
        app = App(settings, clock=clock)
        console = ConsolePlatform(
            app.db, clock, app.translator, lambda _line: None, "it", files_dir=Path(folder)
        )
        app.add_platform(console)
        runner = ConsoleRunner(console, await app.start(), app.scheduler)
        try:
            await runner.run_lines([f"join @m{n}" for n in range(10)])
            await runner.run_lines([f"@m{n} in #generale: riscaldamento" for n in range(10)])
            lines = [f"@m{n % 10} in #c{n % 4}: messaggio numero {n}" for n in range(messages)]
            started = time.perf_counter()
            await runner.run_lines(lines)
            return time.perf_counter() - started
        finally:
            await app.stop()
