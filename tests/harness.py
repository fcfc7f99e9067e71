"""A bot to talk to in tests: the console adapter in-process, a real SQLite file, a clock
that the test moves. Lines are the console's language; `output` is what the bot said."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.runner import ConsoleRunner
from bot.app import App
from bot.config import Settings
from bot.core.clock import AdjustableClock


class TestBot:
    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(
        self, database_url: str, language: str = "it", files_dir: Path | None = None
    ) -> None:
        self.database_url = database_url
        # Files the bot sends (exports) are saved here, where a test can read them.
        self.files_dir = files_dir or Path(tempfile.mkdtemp(prefix="ponte-files-"))
        self.language = language
        self.output: list[str] = []
        self.app: App | None = None
        self.runner: ConsoleRunner | None = None
        self.console: ConsolePlatform | None = None

    async def start(self) -> None:
        settings = Settings(
            database_url=self.database_url,
            default_language=self.language,
            _env_file=None,  # type: ignore[call-arg]
        )
        clock = AdjustableClock()
        self.app = App(settings, clock=clock)
        self.console = ConsolePlatform(
            self.app.db,
            clock,
            self.app.translator,
            self.output.append,
            self.language,
            files_dir=self.files_dir,
        )
        self.app.add_platform(self.console)
        dispatcher = await self.app.start()
        self.runner = ConsoleRunner(self.console, dispatcher, self.app.scheduler)

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
        self.app = self.runner = self.console = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def say(self, *lines: str) -> str:
        """Run console lines; return what the bot printed while running them."""
        assert self.runner is not None, "start the bot first"
        before = len(self.output)
        await self.runner.run_lines(lines)
        return "\n".join(self.output[before:])

    async def advance(self, text: str) -> str:
        return await self.say(f"advance {text}")

    @property
    def clock(self) -> AdjustableClock:
        assert self.app is not None and isinstance(self.app.clock, AdjustableClock)
        return self.app.clock

    def all_output(self) -> str:
        return "\n".join(self.output)


@asynccontextmanager
async def running_bot(path: Path, language: str = "it") -> AsyncIterator[TestBot]:
    bot = TestBot(f"sqlite+aiosqlite:///{path}", language, path.parent / "files")
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


def hours(count: float) -> timedelta:
    return timedelta(hours=count)
