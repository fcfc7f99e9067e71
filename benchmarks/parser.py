"""The slash-command parser against `shlex.split`, the standard library's tokenizer."""

from __future__ import annotations

import asyncio
import shlex
import time

from benchmarks.result import Ratio
from bot.app import App
from bot.config import Settings
from bot.core.arguments import bind_text
from bot.core.model import Channel, Member
from cogs.polls.cog import PollsCog

LINE = '"Pizza o pasta stasera?" "Pizza" "Pasta" "Risotto" "Insalata" duration:1h30m anonymous:sì'
ROUNDS = 5000


class _NoMentions:
    async def resolve_member(self, community_id: str, reference: str) -> Member | None:
        return None

    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None:
        return None


def measure_parser() -> Ratio:
    # Declaring commands touches no database: an app that never starts is enough.
    services = App(Settings(database_url="sqlite+aiosqlite://", _env_file=None)).services  # type: ignore[call-arg]
    command = PollsCog(services).commands()[0].subcommands[0]
    resolver = _NoMentions()

    async def bind_all() -> None:
        for _ in range(ROUNDS):
            await bind_text(command, LINE, resolver, "c")

    start = time.perf_counter()
    for _ in range(ROUNDS):
        shlex.split(LINE)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    asyncio.run(bind_all())
    measured = time.perf_counter() - start
    return Ratio(
        "parse and type /poll arguments", ROUNDS, measured, "shlex.split of the same line", baseline
    )
