"""Questions arriving together, their vectors made on the event loop (as before) or on the
encoder's own thread (as now), in the same process: how long the loop was held up at most
(a ticker that asks to wake every millisecond, its worst lateness), how long until the last
question had its vector, and the CPU time the process spent on them.

`python -m benchmarks.question_burst` (also in `make bench`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from benchmarks.questions import LANGUAGES, SPLITS, labelled
from cogs.questions.encoder import forget_words
from cogs.questions.engine import Grouper, is_question

BURST = 48
ROUNDS = 5


@dataclass(frozen=True, slots=True)
class Burst:
    stall_ms: float  # the longest the event loop could not run anything else
    wall_ms: float  # from the first question to the last vector
    cpu_ms: float


async def _burst(vector: Callable[[str], Awaitable[bytes]], texts: list[str]) -> Burst:
    stalls = [0.0]
    running = True

    async def ticker() -> None:
        while running:
            asked = time.perf_counter()
            await asyncio.sleep(0.001)
            stalls.append(time.perf_counter() - asked - 0.001)

    ticking = asyncio.ensure_future(ticker())
    await asyncio.sleep(0.01)
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(vector(text) for text in texts))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    running = False
    await ticking
    return Burst(max(stalls) * 1000, wall * 1000, cpu * 1000)


def _questions(count: int, round_number: int) -> list[str]:
    rows = [row.text for lang in LANGUAGES for split in SPLITS for row in labelled(lang, split)]
    asked = [text for text in rows if is_question(text)]
    return [f"{asked[(round_number * count + n) % len(asked)]} {n}" for n in range(count)]


async def measure_burst() -> str:
    grouper = Grouper()
    grouper.vector("warm up")
    await grouper.vector_soon("warm up")

    async def in_place(text: str) -> bytes:
        return grouper.vector(text)

    found: dict[str, list[Burst]] = {"on the event loop": [], "on the encoder's thread": []}
    for round_number in range(ROUNDS):
        texts = _questions(BURST, round_number)
        # Each way reads the same texts, no word of them already in the encoder's memory.
        forget_words()
        found["on the event loop"].append(await _burst(in_place, texts))
        forget_words()
        found["on the encoder's thread"].append(await _burst(grouper.vector_soon, texts))
    lines = [f"{BURST} questions at once, best of {ROUNDS} rounds each (interleaved):"]
    for name, bursts in found.items():
        lines.append(
            f"  {name:<24} loop held up at most {min(b.stall_ms for b in bursts):6.1f} ms; "
            f"last vector after {min(b.wall_ms for b in bursts):6.1f} ms; "
            f"CPU {min(b.cpu_ms for b in bursts) / BURST:.2f} ms a question"
        )
    before, after = found.values()
    stall = min(b.stall_ms for b in before) / max(min(b.stall_ms for b in after), 0.01)
    cpu = min(b.cpu_ms for b in before) / min(b.cpu_ms for b in after)
    lines.append(f"  the loop held up {stall:.0f}× less; {cpu:.1f}× less CPU a question")
    return "\n".join(lines)


def report() -> str:
    return asyncio.run(measure_burst())


if __name__ == "__main__":
    print(report())
