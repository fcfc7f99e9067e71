"""A vote through the whole core (button press, conditional update, live card, remembered
edit) against the cheapest thing it must do anyway: one insert in its own transaction."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.result import Ratio
from bot.storage.database import Database
from cogs.polls.models import PollVote
from tests.harness import running_bot

VOTERS = 300


async def _baseline(url: str) -> float:
    db = Database(url)
    try:
        start = time.perf_counter()
        for number in range(VOTERS):
            async with db.session() as session:
                session.add(
                    PollVote(
                        poll_id=1,
                        position=0,
                        member_id=f"baseline{number}",
                        member_name="baseline",
                        voted_at=datetime.now(UTC),
                    )
                )
        return time.perf_counter() - start
    finally:
        await db.dispose()


async def measure_votes() -> Ratio:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        async with running_bot(path) as bot:
            await bot.say("join @author", *(f"join @voter{number}" for number in range(VOTERS)))
            await bot.say('@author: /poll "Bench?" "A" "B"')
            bot.output.clear()
            start = time.perf_counter()
            for number in range(VOTERS):
                await bot.say(f"@voter{number} click A")
            measured = time.perf_counter() - start
        baseline = await _baseline(f"sqlite+aiosqlite:///{path}")
    return Ratio(
        "a vote through the core", VOTERS, measured, "one insert per transaction", baseline
    )
