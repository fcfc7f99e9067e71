"""A vote through the whole core (button press, conditional update, live card, remembered
edit) against the cheapest thing it must do anyway: one insert in its own transaction.

Measured on SQLite and, when its server answers, on PostgreSQL. A press is delivered as a
platform delivers it (member, channel, message and button id already known), so the figure
is the core's; a console line, which also finds the member and the button by their names in
the database, is measured beside it. Each figure is the best of a few rounds, as the machine
is shared and the slowest round says more about the neighbours than about the code."""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.result import Ratio
from bot.adapters.console.platform import ConsoleInteraction
from bot.core.events import ButtonPressed
from bot.core.model import Member
from bot.storage.database import Database
from cogs.polls.models import PollVote
from tests.harness import TestBot
from tests.postgres import fresh_postgres

VOTERS = 300
ROUNDS = 3


async def _baseline(url: str, round_number: int) -> float:
    db = Database(url)
    try:
        start = time.perf_counter()
        for number in range(VOTERS):
            async with db.session() as session:
                session.add(
                    PollVote(
                        poll_id=1,
                        position=0,
                        member_id=f"baseline{round_number}-{number}",
                        member_name="baseline",
                        voted_at=datetime.now(UTC),
                    )
                )
        return time.perf_counter() - start
    finally:
        await db.dispose()


async def _presses(bot: TestBot, voters: list[Member], *, at_once: bool = False) -> float:
    """Every voter presses A on a new poll, as an adapter hands the press to the core: one
    after another, or all at once (a popular poll in a large server)."""
    assert bot.console is not None and bot.app is not None and bot.app.dispatcher is not None
    console, dispatcher = bot.console, bot.app.dispatcher
    await bot.say('@author: /poll "Bench?" "A" "B"')
    found = await console.find_button("author", "A")
    assert found is not None
    ref, custom_id = found
    channel = await console.ensure_channel(ref.channel_id)
    bot.output.clear()
    presses = [
        ButtonPressed(
            console.community,
            channel,
            voter,
            custom_id,
            ConsoleInteraction(console, channel, voter, ref),
            ref,
        )
        for voter in voters
    ]
    start = time.perf_counter()
    if at_once:
        await asyncio.gather(*(dispatcher.button_pressed(press) for press in presses))
    else:
        for press in presses:
            await dispatcher.button_pressed(press)
    elapsed = time.perf_counter() - start
    poll_id = int(custom_id.split(":")[2])
    async with bot.app.db.session() as session:
        counted = await session.scalar(
            select(func.count()).select_from(PollVote).where(PollVote.poll_id == poll_id)
        )
    if counted != len(voters):  # a fast figure that lost votes would be no figure at all
        raise RuntimeError(f"{len(voters)} presses, {counted} votes counted")
    return elapsed


async def _lines(bot: TestBot) -> float:
    """Every voter types `click A` on the console."""
    await bot.say('@author: /poll "Bench?" "A" "B"')
    bot.output.clear()
    start = time.perf_counter()
    for number in range(VOTERS):
        await bot.say(f"@voter{number} click A")
    return time.perf_counter() - start


async def _measure(url: str, label: str, files: Path) -> list[Ratio]:
    bot = TestBot(url, "it", files)
    await bot.start()
    try:
        assert bot.console is not None
        await bot.say("join @author", *(f"join @voter{number}" for number in range(VOTERS)))
        voters = [
            member
            for number in range(VOTERS)
            if (member := await bot.console.get_member(f"voter{number}")) is not None
        ]
        presses, bursts, lines, baselines = [], [], [], []
        for round_number in range(ROUNDS):
            presses.append(await _presses(bot, voters))
            bursts.append(await _presses(bot, voters, at_once=True))
            lines.append(await _lines(bot))
            baselines.append(await _baseline(url, round_number))
    finally:
        await bot.stop()
    baseline = min(baselines)
    insert = "one insert per transaction"
    return [
        Ratio(f"a vote through the core ({label})", VOTERS, min(presses), insert, baseline),
        Ratio(f"{VOTERS} presses at once ({label})", VOTERS, min(bursts), insert, baseline),
        Ratio(f"a vote as a console line ({label})", VOTERS, min(lines), insert, baseline),
    ]


async def _postgres_answers() -> bool:
    try:
        async with fresh_postgres():
            return True
    except OSError:
        return False


async def measure_votes() -> list[Ratio]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        results = await _measure(f"sqlite+aiosqlite:///{path}", "SQLite", Path(folder))
    if await _postgres_answers():
        with tempfile.TemporaryDirectory() as folder:
            async with fresh_postgres() as url:
                results += await _measure(url, "PostgreSQL", Path(folder))
    return results


def main() -> None:
    for result in asyncio.run(measure_votes()):
        print(result.report())


if __name__ == "__main__":
    main()
