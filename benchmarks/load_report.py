"""What a load run sends and what it found, as a table: latency, events without their
effect, memory, CPU."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from benchmarks.load_process import Usage
from tests.postgres import fresh_postgres

MEMBERS = 50_000
CHAT = (
    "ciao a tutti",
    "qualcuno ha visto la live di ieri?",
    "grazie mille per l'aiuto",
    "anche per me funziona adesso",
    "good morning everyone",
    "the new release looks great",
)
# A poll card's option: `████ 1.600 voti · 67%` (Italian groups thousands with a dot).
TALLY = re.compile(r"[█░]+ (\d[\d.,\u00a0\u202f]*) vot")
# Ten events in a row: what a busy community's minute is made of.
MIX = ("message", "join", "message", "click", "command", "message", "join", "click", "message",
       "command")  # fmt: skip


def tally(fields: list[str]) -> list[int]:
    """The votes each option of a poll card shows, read from its fields' text."""
    found = [TALLY.search(text) for text in fields]
    return [int(re.sub(r"\D", "", match.group(1))) for match in found if match]


def cycle(kinds: tuple[str, ...]) -> Iterator[str]:
    while True:
        yield from kinds


async def paced(count: int, rate: float) -> AsyncIterator[int]:
    """0 … count - 1, the n-th at n / rate seconds from now: a steady stream, never a burst."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    for number in range(count):
        delay = start + number / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        yield number


@dataclass
class Sent:
    """What the driver did, to compare with what the bot made of it."""

    messages: int = 0
    joined: list[str] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)  # voter -> option index
    polls: int = 0


@dataclass(frozen=True)
class Phase:
    events: int
    seconds: float  # from the first event sent to the last effect seen
    ponte: float  # CPU seconds
    bare: float | None  # the same for a client with no handlers, where there is one


@dataclass(frozen=True)
class Counts:
    """Ponte's own records of what it saw."""

    activity: int
    crisis: int
    joins: int
    polls: int
    votes: int


class Records:
    """Ponte's records read from its database (SQLite or PostgreSQL) while it runs."""

    QUERIES = (
        "SELECT SUM(messages) FROM digest_activity",
        "SELECT SUM(messages) FROM crisis_minutes",
        "SELECT SUM(joined) FROM digest_member_flow",
        "SELECT COUNT(*) FROM polls",
        "SELECT COUNT(*) FROM poll_votes WHERE poll_id = 1",
    )

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        # A connection per read: nothing held open between them, no lock kept from Ponte.
        self._engine = create_async_engine(url, poolclass=NullPool)

    async def counts(self) -> Counts:
        async with self._engine.connect() as connection:
            found = [
                int((await connection.execute(text(query))).scalar() or 0) for query in self.QUERIES
            ]
        return Counts(*found)

    async def close(self) -> None:
        await self._engine.dispose()


@asynccontextmanager
async def load_database(kind: str, folder: Path) -> AsyncIterator[Records]:
    """The records of an empty database of `kind` ("sqlite": a file in `folder`;
    "postgresql": a new database on the local server, dropped afterwards), which Ponte
    migrates; its URL is `Records.url`."""
    async with AsyncExitStack() as stack:
        if kind == "postgresql":
            url = await stack.enter_async_context(fresh_postgres())
        else:
            url = f"sqlite+aiosqlite:///{folder / 'load.db'}"
        records = Records(url)
        stack.push_async_callback(records.close)
        yield records


async def steady(
    records: Records, calls: Callable[[], int], quiet: float = 6, limit: float = 300
) -> float:
    """Until neither the bot's calls to the platform nor its records have changed for
    `quiet` seconds (longer than the bot waits to retry a step the database refused):
    what it had to do is done, or will not be. Returns when the last change was seen."""
    began = time.monotonic()
    seen: tuple[int, Counts] | None = None
    changed = began
    while time.monotonic() - began < limit:
        now = (calls(), await records.counts())
        if now != seen:
            seen, changed = now, time.monotonic()
        elif time.monotonic() - changed >= quiet:
            break
        await asyncio.sleep(0.25)
    return changed


def effects(
    sent: Sent,
    before: Counts,
    after: Counts,
    greeted: tuple[int, int],
    shown: list[int],
) -> dict[str, tuple[int, int]]:
    """Each kind of event: how many were sent, and how many had their effect."""
    joined = len(sent.joined)
    pasta = sum(sent.votes.values())
    expected = [len(sent.votes) - pasta, pasta]
    # A card that shows other counts than the votes sent lost (or invented) some.
    on_card = sum(min(a, b) for a, b in zip(shown, expected, strict=False))
    return {
        "messages in the digest": (sent.messages, after.activity - before.activity),
        "messages in the crisis window": (sent.messages, after.crisis - before.crisis),
        "joins counted": (joined, after.joins - before.joins),
        "joins greeted": (joined, greeted[0]),
        "joins sent the rules": (joined, greeted[1]),
        "votes stored": (len(sent.votes), after.votes - before.votes),
        "votes on the card": (len(sent.votes), on_card),
        "polls created": (sent.polls, after.polls - before.polls),
    }


@dataclass(frozen=True)
class LoadReport:
    platform: str
    rate: float
    seconds: float
    mix: Phase
    messages: Phase
    acks: list[tuple[str, float]]  # what each interaction was, and its milliseconds
    unanswered: int
    lost: dict[str, tuple[int, int]]  # what -> (sent, with their effect)
    memory: Usage
    bare_memory: Usage | None
    calls: list[tuple[str, int]] = field(default_factory=list)  # the mix's, most made first
    problems: list[tuple[str, int]] = field(default_factory=list)  # what Ponte logged

    @property
    def acks_ms(self) -> list[float]:
        return [ms for _, ms in self.acks]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.acks_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def rows(self) -> list[tuple[str, str, str]]:
        lost = sum(sent - seen for sent, seen in self.lost.values())
        detail = ", ".join(f"{what} {seen}/{sent}" for what, (sent, seen) in self.lost.items())
        memory = f"{self.memory.rss_mib:.0f} / {self.memory.peak_mib:.0f} MiB"
        if self.bare_memory is not None:
            memory += f" (bare client {self.bare_memory.rss_mib:.0f} MiB)"
        return [
            (
                "events, from the first sent to the last effect",
                f"{self.mix.events:,} in {self.mix.seconds:.1f} s",
                "",
            ),
            (
                "acknowledgement p50 / p99 / max",
                f"{self.percentile(0.5):.1f} / {self.percentile(0.99):.1f} / "
                f"{max(self.acks_ms, default=0):.1f} ms over {len(self.acks_ms):,}",
                "p99 < 50 ms",
            ),
            ("acknowledgement p50 / p99 by kind", _by_kind(self.acks), ""),
            ("interactions not acknowledged within 3 s", str(self.unanswered), "0"),
            ("events lost", f"{lost} ({detail})", "0"),
            ("Ponte's memory now / peak", memory, "< 150 MB"),
            ("CPU per event, the mix", _cpu(self.mix), ""),
            ("CPU per message, messages alone", _cpu(self.messages), "≤ 2× bare"),
            (
                "the bot's API calls in the mix, most made",
                ", ".join(f"{name} {count:,}" for name, count in self.calls[:4]),
                "",
            ),
            (
                "Ponte's log, most frequent warnings and errors",
                _problems(self),
                "",
            ),
        ]

    def report(self) -> str:
        lines = [
            f"load on the {self.platform}: {self.rate:.0f} events/s for "
            f"{self.seconds:.0f} s, {MEMBERS:,} members",
            "| measure | result | target |",
            "|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in self.rows()]
        return "\n".join(lines)


def _by_kind(timed: list[tuple[str, float]]) -> str:
    """p50 / p99 of each kind, in the order the kinds first came."""
    grouped: dict[str, list[float]] = {}
    for kind, ms in timed:
        grouped.setdefault(kind, []).append(ms)
    shown = []
    for kind, values in grouped.items():
        ordered = sorted(values)
        p50, p99 = (ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in (0.5, 0.99))
        shown.append(f"{kind} {p50:.0f} / {p99:.0f} ms")
    return ", ".join(shown) or "none"


def _problems(report: LoadReport) -> str:
    shown = "; ".join(f"{count:,}× {line}" for line, count in report.problems[:3])
    return shown.replace("|", "/") or "none"


def _cpu(phase: Phase) -> str:
    ponte = phase.ponte / max(phase.events, 1)
    if phase.bare is None:
        return f"Ponte {ponte * 1000:.2f} ms"
    bare = phase.bare / max(phase.events, 1)
    return f"Ponte {ponte * 1000:.2f} ms, bare {bare * 1000:.2f} ms: {ponte / bare:.1f}×"
