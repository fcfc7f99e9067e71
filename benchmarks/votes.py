"""A vote through the whole core (button press, conditional update, live card, remembered
edit), and the other bursty buttons (a quiz answer, a giveaway entry), against the cheapest
thing each must do anyway: one insert in its own transaction.

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
from typing import Any

from sqlalchemy import Select, func, select

from benchmarks.result import Ratio
from bot.adapters.console.platform import ConsoleInteraction
from bot.core.events import ButtonPressed
from bot.core.model import Member
from bot.storage.database import Database
from cogs.contests.models import ContestEntry
from cogs.polls.models import PollVote
from cogs.quizzes.models import QuizAnswer
from tests.harness import TestBot
from tests.postgres import fresh_postgres

VOTERS = 300
ROUNDS = 3
# A quiz of one question and a giveaway, pressed by the same voters; the labels are the
# Italian buttons the bench's bot shows.
BANK = "bench"
QUESTION = "::Q1:: Capitale d'Italia? {=Roma ~Milano ~Napoli}\n"
RIGHT = "Roma"
ENTER = "Partecipa"


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


async def _pressed(
    bot: TestBot, voters: list[Member], label: str, *, at_once: bool
) -> tuple[float, str]:
    """Every voter presses the newest button labelled `label`, as an adapter hands the
    press to the core: one after another, or all at once (a large server); the time it
    took and the button's id."""
    assert bot.console is not None and bot.app is not None and bot.app.dispatcher is not None
    console, dispatcher = bot.console, bot.app.dispatcher
    found = await console.find_button("author", label)
    assert found is not None, label
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
    return time.perf_counter() - start, custom_id


async def _count(bot: TestBot, rows: Select[Any], presses: int) -> None:
    """Every press written: a fast figure that lost some would be no figure at all."""
    assert bot.app is not None
    async with bot.app.db.session() as session:
        counted = await session.scalar(rows)
    if counted != presses:
        raise RuntimeError(f"{presses} presses, {counted} rows written")


async def _presses(bot: TestBot, voters: list[Member], *, at_once: bool = False) -> float:
    """Every voter votes A on a new poll."""
    await bot.say('@author: /poll "Bench?" "A" "B"')
    elapsed, custom_id = await _pressed(bot, voters, "A", at_once=at_once)
    poll_id = int(custom_id.split(":")[2])
    votes = select(func.count()).select_from(PollVote).where(PollVote.poll_id == poll_id)
    await _count(bot, votes, len(voters))
    return elapsed


async def _answers(bot: TestBot, voters: list[Member], round_number: int) -> float:
    """Every voter gives the right answer to a new quiz question."""
    await bot.say(f"@author: /quiz start bank:{BANK} questions:1 seconds:120")
    elapsed, _ = await _pressed(bot, voters, RIGHT, at_once=False)
    await bot.say("@author: /quiz stop")
    answers = select(func.count()).select_from(QuizAnswer)
    await _count(bot, answers, len(voters) * (round_number + 1))
    return elapsed


async def _entries(bot: TestBot, voters: list[Member], round_number: int) -> float:
    """Every voter enters a new giveaway."""
    await bot.say('@author: /contest giveaway prize:"Bench" winners:1 duration:1d')
    elapsed, _ = await _pressed(bot, voters, ENTER, at_once=False)
    entries = select(func.count()).select_from(ContestEntry)
    await _count(bot, entries, len(voters) * (round_number + 1))
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
        await bot.say("join @author as staff", *(f"join @voter{n}" for n in range(VOTERS)))
        voters = [
            member
            for number in range(VOTERS)
            if (member := await bot.console.get_member(f"voter{number}")) is not None
        ]
        bank = files / "bench.gift"
        bank.write_text(QUESTION, encoding="utf-8")
        await bot.say(f"@author: /quiz import name:{BANK} file:{bank}")
        presses, bursts, lines, answers, entries, baselines = [], [], [], [], [], []
        for round_number in range(ROUNDS):
            # Everyone presses five buttons a round: the clock moved on fills their buckets
            # again, so no press is refused for going too fast.
            await bot.advance("1m")
            presses.append(await _presses(bot, voters))
            bursts.append(await _presses(bot, voters, at_once=True))
            lines.append(await _lines(bot))
            answers.append(await _answers(bot, voters, round_number))
            entries.append(await _entries(bot, voters, round_number))
            baselines.append(await _baseline(url, round_number))
    finally:
        await bot.stop()
    baseline = min(baselines)
    insert = "one insert per transaction"
    answer, entry = "a quiz answer through the core", "a giveaway entry through the core"
    return [
        Ratio(f"a vote through the core ({label})", VOTERS, min(presses), insert, baseline),
        Ratio(f"{VOTERS} presses at once ({label})", VOTERS, min(bursts), insert, baseline),
        Ratio(f"a vote as a console line ({label})", VOTERS, min(lines), insert, baseline),
        Ratio(f"{answer} ({label})", VOTERS, min(answers), insert, baseline),
        Ratio(f"{entry} ({label})", VOTERS, min(entries), insert, baseline),
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
