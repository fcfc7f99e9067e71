"""A console run that can be killed at any moment and started again: it plays a script's
lines from the first one not yet finished, noting each finished line in a progress file.

    python -m tests.crash_runner DATABASE_URL SCRIPT PROGRESS

A line the kill interrupted is played again after the restart, as a member would repeat
an action that got no answer; what the bot prints goes to standard output at once.
"""

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


def finished(progress: Path) -> int:
    """How many lines of the script are done."""
    if not progress.exists():
        return 0
    return len(progress.read_text(encoding="utf-8").split())


async def play(database_url: str, script: Path, progress: Path) -> None:
    settings = Settings(
        database_url=database_url,
        default_language="it",
        _env_file=None,  # type: ignore[call-arg]
    )
    clock = AdjustableClock()
    app = App(settings, clock=clock)
    console = ConsolePlatform(
        app.db, clock, app.translator, _write, "it", files_dir=progress.parent / "files"
    )
    app.add_platform(console)
    try:
        runner = ConsoleRunner(console, await app.start(), app.scheduler)
        lines = (await asyncio.to_thread(script.read_text, encoding="utf-8")).splitlines()
        with progress.open("a", encoding="utf-8") as done:
            for number in range(finished(progress), len(lines)):
                await runner.run_line(lines[number], number + 1)
                done.write(f"{number + 1}\n")
                done.flush()
    finally:
        await app.stop()
    _write("== fine")


if __name__ == "__main__":
    url, script, progress = sys.argv[1:4]
    asyncio.run(play(url, Path(script), Path(progress)))
