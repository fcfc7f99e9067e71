"""Members' messages through the whole console bot, with some cogs disabled."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from types import TracebackType

from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.runner import ConsoleRunner
from bot.app import App
from bot.config import Settings
from bot.core.clock import AdjustableClock


class ConsoleBot:
    """A console bot on its own SQLite file, with `disabled` cogs left out."""

    def __init__(self, disabled: str) -> None:
        self.disabled = disabled
        self._folder = tempfile.TemporaryDirectory()
        self._sent = 0

    async def __aenter__(self) -> ConsoleBot:
        folder = Path(self._folder.name)
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{folder / 'path.db'}",
            disabled_cogs=self.disabled,
            _env_file=None,  # type: ignore[call-arg]
        )
        clock = AdjustableClock()
        self.app = App(settings, clock=clock)
        console = ConsolePlatform(
            self.app.db, clock, self.app.translator, lambda _line: None, "it", files_dir=folder
        )
        self.app.add_platform(console)
        self.runner = ConsoleRunner(console, await self.app.start(), self.app.scheduler)
        await self.runner.run_lines([f"join @m{n}" for n in range(10)])
        await self.batch(10)  # warm-up: first statements compiled, caches filled
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.app.stop()
        self._folder.cleanup()

    async def batch(self, messages: int) -> float:
        """Seconds for `messages` posts by ten members in four channels."""
        first = self._sent
        self._sent += messages
        lines = [f"@m{n % 10} in #c{n % 4}: messaggio numero {n}" for n in range(first, self._sent)]
        started = time.perf_counter()
        await self.runner.run_lines(lines)
        return time.perf_counter() - started


async def message_path(messages: int, rounds: int = 10) -> tuple[float, float]:
    """Seconds per message without and with the digest's rollups. The two bots take turns,
    a batch each, and the fastest batch of each counts: the machine's other load, which
    only ever slows a batch down, is left out of the comparison."""
    heavy = "netiquette,questions"  # off in both: the rollups' share shows
    per_batch = max(messages // rounds, 1)
    async with ConsoleBot(f"{heavy},digest") as without, ConsoleBot(heavy) as with_digest:
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(rounds):
            times[0].append(await without.batch(per_batch))
            times[1].append(await with_digest.batch(per_batch))
    return min(times[0]) / per_batch, min(times[1]) / per_batch
