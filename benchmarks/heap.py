"""A full collection of the cyclic collector in a started Ponte, before and after the heap
is settled (bot/core/heap.py), in the same process: the pause every interaction in flight
waits out when the collector reads the whole heap.

Ponte is started on the console with every cog and settled, as `python -m bot run` does
once its platforms are up; then members join, a poll opens and 600 messages (questions
among them) go by. A full collection is timed a few times in that state, and again with
the heap unfrozen, all of it in the collector's reach.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.core.heap import settle_after_start
from tests.harness import TestBot

COLLECTIONS = 7
MEMBERS, MESSAGES = 50, 600
CHAT = (
    "ciao a tutti",
    "qualcuno sa come si cambia la password?",
    "grazie mille per l'aiuto",
    "the new release looks great",
    "how do I export my data?",
)


@dataclass(frozen=True, slots=True)
class Collections:
    settled: float  # seconds of a full collection
    whole: float
    settled_objects: int
    whole_objects: int


def _full_collections() -> float:
    """The median seconds of one full collection."""
    took = []
    for _ in range(COLLECTIONS):
        began = time.perf_counter()
        gc.collect()
        took.append(time.perf_counter() - began)
    return statistics.median(took)


async def measure_heap() -> Collections:
    """Both timed in the same state: settled at start, then an hour's worth of chat."""
    with tempfile.TemporaryDirectory(prefix="ponte-heap-") as folder:
        bot = TestBot(f"sqlite+aiosqlite:///{Path(folder) / 'heap.db'}", "it", Path(folder))
        await bot.start()
        try:
            settle_after_start()
            await bot.say("join @mara as staff", *(f"join @member{n}" for n in range(MEMBERS)))
            await bot.say(
                '@mara: /poll create question:"Pizza o pasta?" option1:Pizza option2:Pasta'
            )
            for number in range(MESSAGES):
                author = f"member{number % MEMBERS}"
                await bot.say(f"@{author}: {CHAT[number % len(CHAT)]} ({number})")
                if number % 50 == 0:
                    await bot.advance("1m")
            settled_objects = len(gc.get_objects())
            settled = _full_collections()
            gc.unfreeze()
            whole_objects = len(gc.get_objects())
            whole = _full_collections()
        finally:
            await bot.stop()
    return Collections(settled, whole, settled_objects, whole_objects)


def report() -> str:
    found = asyncio.run(measure_heap())
    return (
        f"a full collection after {MESSAGES} messages: {found.settled * 1000:.1f} ms with the "
        f"heap settled at start, {found.whole * 1000:.1f} ms with all of it in reach "
        f"({found.settled / found.whole:.2f}×; {found.settled_objects:,} objects read "
        f"against {found.whole_objects:,})"
    )


if __name__ == "__main__":
    print(report())
