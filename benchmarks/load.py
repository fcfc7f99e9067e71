"""Ponte under a steady load on the Discord emulator, beside a bare discord.py client.

`python -m benchmarks.load [--seconds 60] [--rate 200]`: 50,000 members in the guild, then
`rate` events a second for `seconds` (four in ten messages, two joins, two votes on one
poll, two commands), then a shorter run of messages alone. Ponte and a discord.py client
with no handlers run in processes of their own, connected to the same emulator, so each
one's CPU time and memory are its own. Reported: how long each interaction waited for its
acknowledgement, whether every event had its effect, Ponte's memory, and the CPU time per
event of each process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load_process import Child, Usage
from tests.adapters.discord_support import buttons, counts, discord_emulator, settle
from tests.emulators.discord_emulator import DiscordEmulator, InteractionRecord

MEMBERS = 50_000
POLL = {"question": "Pizza o pasta?", "option1": "Pizza", "option2": "Pasta"}
# Ten events in a row: what a busy guild's minute is made of.
MIX = ("message", "join", "message", "click", "command", "message", "join", "click", "message",
       "command")  # fmt: skip
CHAT = (
    "ciao a tutti",
    "qualcuno ha visto la live di ieri?",
    "grazie mille per l'aiuto",
    "anche per me funziona adesso",
    "good morning everyone",
    "the new release looks great",
)


@dataclass
class Sent:
    """What the driver did, to compare with what the bot made of it."""

    messages: int = 0
    joined: list[str] | None = None
    votes: dict[str, int] | None = None  # voter -> option index
    polls: int = 0
    interactions: list[InteractionRecord] | None = None


@dataclass(frozen=True)
class Phase:
    events: int
    seconds: float  # from the first event sent to the last effect seen
    ponte: float  # CPU seconds
    bare: float


@dataclass(frozen=True)
class Counts:
    activity: int
    crisis: int
    joins: int
    polls: int
    votes: int


@dataclass(frozen=True)
class LoadReport:
    rate: float
    seconds: float
    mix: Phase
    messages: Phase
    acks_ms: list[float]
    unanswered: int
    lost: dict[str, tuple[int, int]]  # what -> (sent, with their effect)
    memory: Usage
    bare_memory: Usage

    def percentile(self, share: float) -> float:
        ordered = sorted(self.acks_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def rows(self) -> list[tuple[str, str, str]]:
        lost = sum(sent - seen for sent, seen in self.lost.values())
        detail = ", ".join(f"{what} {seen}/{sent}" for what, (sent, seen) in self.lost.items())
        mix_ratio = _per(self.mix.ponte, self.mix.events) / _per(self.mix.bare, self.mix.events)
        msg_ratio = _per(self.messages.ponte, self.messages.events) / _per(
            self.messages.bare, self.messages.events
        )
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
            ("interactions not acknowledged", str(self.unanswered), "0"),
            ("events lost", f"{lost} ({detail})", "0"),
            (
                "Ponte's memory now / peak",
                f"{self.memory.rss_mib:.0f} / {self.memory.peak_mib:.0f} MiB "
                f"(bare client {self.bare_memory.rss_mib:.0f} MiB)",
                "< 150 MB",
            ),
            (
                "CPU per event, the mix",
                f"Ponte {_ms(self.mix.ponte, self.mix.events)}, "
                f"bare {_ms(self.mix.bare, self.mix.events)}: {mix_ratio:.1f}×",
                "",
            ),
            (
                "CPU per message, messages alone",
                f"Ponte {_ms(self.messages.ponte, self.messages.events)}, "
                f"bare {_ms(self.messages.bare, self.messages.events)}: {msg_ratio:.1f}×",
                "≤ 2×",
            ),
        ]

    def report(self) -> str:
        lines = [
            f"load on the Discord emulator: {self.rate:.0f} events/s for {self.seconds:.0f} s, "
            f"{MEMBERS:,} members",
            "| measure | result | target |",
            "|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in self.rows()]
        return "\n".join(lines)


def _per(seconds: float, events: int) -> float:
    return seconds / max(events, 1)


def _ms(seconds: float, events: int) -> str:
    return f"{_per(seconds, events) * 1000:.2f} ms"


def _members(emu: DiscordEmulator) -> list[str]:
    return [emu.add_user(f"member{number}") for number in range(MEMBERS)]


def _counts(database: Path) -> Counts:
    """Ponte's own records of what it saw, read from its database."""
    with sqlite3.connect(database) as db:

        def one(query: str) -> int:
            return int(db.execute(query).fetchone()[0] or 0)

        return Counts(
            one("SELECT SUM(messages) FROM digest_activity"),
            one("SELECT SUM(messages) FROM crisis_minutes"),
            one("SELECT SUM(joined) FROM digest_member_flow"),
            one("SELECT COUNT(*) FROM polls"),
            one("SELECT COUNT(*) FROM poll_votes WHERE poll_id = 1"),
        )


async def _drive(
    emu: DiscordEmulator,
    kinds: Iterator[str],
    count: int,
    rate: float,
    members: list[str],
    poll: tuple[str, list[str]],
    sent: Sent,
) -> None:
    """Send `count` events, the n-th at n / rate seconds from now, never in a burst."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    voters = iter(members[:20_000])
    commanders = iter(members[20_000:30_000])
    authors = members[30_000:]
    assert sent.joined is not None and sent.votes is not None and sent.interactions is not None
    for number in range(count):
        delay = start + number / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        kind = next(kinds)
        if kind == "message":
            author = authors[number % len(authors)]
            await emu.post_message(author, "general", f"{CHAT[number % len(CHAT)]} ({number})")
            sent.messages += 1
        elif kind == "join":
            sent.joined.append(await emu.member_join(f"newcomer{len(sent.joined)}"))
        elif kind == "click":
            voter = next(voters)
            choice = 1 if number % 3 == 0 else 0
            record = await emu.press_button(voter, poll[0], poll[1][choice])
            sent.votes[voter] = choice
            sent.interactions.append(record)
        else:
            user = next(commanders)
            if number % 20 < 10:
                record = await emu.slash_command(user, "general", "help")
            else:
                record = await emu.slash_command(
                    user, "general", "poll", subcommand="create", options=POLL
                )
                sent.polls += 1
            sent.interactions.append(record)


def _cycle(kinds: tuple[str, ...]) -> Iterator[str]:
    while True:
        yield from kinds


async def _finish(emu: DiscordEmulator, sent: Sent) -> None:
    """Until every interaction is answered and the bot has gone quiet."""
    assert sent.interactions is not None
    for record in sent.interactions:
        if not record.answered.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(record.answered.wait(), 10)
    await settle(emu, quiet=0.5, limit=120)


def _acks(emu: DiscordEmulator, records: list[InteractionRecord]) -> list[float]:
    """Milliseconds from each interaction's dispatch to the bot's first callback."""
    answered: dict[str, float] = {}
    for call in emu.calls:
        if call.method == "POST" and call.path.endswith("/callback"):
            answered.setdefault(call.path.split("/")[2], call.time)
    return [
        (answered[record.id] - record.created_at) * 1000
        for record in records
        if record.id in answered
    ]


def _greeted(emu: DiscordEmulator, joined: list[str]) -> tuple[int, int]:
    """Joins greeted in a channel, and joins sent the rules by DM."""
    mentioned = {
        word
        for messages in emu.messages.values()
        for message in messages
        if message["author"]["id"] == emu.bot_user_id
        for word in str(message.get("content") or "").replace(">", "> ").split()
    }
    in_channel = sum(f"<@{uid}>" in mentioned for uid in joined)
    by_dm = sum(
        any(m["author"]["id"] == emu.bot_user_id for m in emu.dm_messages_for(uid))
        for uid in joined
    )
    return in_channel, by_dm


async def measure_load(seconds: float = 60, rate: float = 200) -> LoadReport:
    with tempfile.TemporaryDirectory(prefix="ponte-load-") as folder:
        async with discord_emulator() as emu:
            return await _measure(emu, Path(folder), seconds, rate)


async def _measure(emu: DiscordEmulator, folder: Path, seconds: float, rate: float) -> LoadReport:
    members = _members(emu)
    database = folder / "load.db"
    address = {"token": emu.token, "api_url": emu.api_url, "gateway_url": emu.gateway_url}
    ponte = await Child.start(
        {"kind": "ponte", "database_url": f"sqlite+aiosqlite:///{database}", **address},
        folder / "ponte.log",
    )
    bare = await Child.start({"kind": "bare", **address}, folder / "bare.log")
    try:
        opened = await emu.slash_command(
            emu.owner_id, "general", "poll", subcommand="create", options=POLL
        )
        await emu.wait_for_callback(opened, timeout=30)
        assert opened.response_message_id is not None
        card = emu.get_message(opened.response_message_id)
        poll = (opened.response_message_id, [b["custom_id"] for b in buttons(card)])
        await settle(emu, quiet=0.3)
        before = _counts(database)

        sent = Sent(joined=[], votes={}, interactions=[])
        count = int(seconds * rate)
        mix = await _phase(ponte, bare, emu, _cycle(MIX), count, rate, members, poll, sent)
        after = _counts(database)
        acks = _acks(emu, sent.interactions or [])
        greeted, welcomed = _greeted(emu, sent.joined or [])
        votes = sent.votes or {}
        pasta = sum(votes.values())
        # A card that shows other counts than the votes sent lost (or invented) some.
        shown = counts(emu.get_message(poll[0]))
        expected = [len(votes) - pasta, pasta]
        shown_votes = sum(min(a, b) for a, b in zip(shown, expected, strict=False))
        lost = {
            "messages in the digest": (sent.messages, after.activity - before.activity),
            "messages in the crisis window": (sent.messages, after.crisis - before.crisis),
            "joins counted": (len(sent.joined or []), after.joins - before.joins),
            "joins greeted": (len(sent.joined or []), greeted),
            "joins sent the rules": (len(sent.joined or []), welcomed),
            "votes stored": (len(votes), after.votes - before.votes),
            "votes on the card": (len(votes), shown_votes),
            "polls created": (sent.polls, after.polls - before.polls),
        }
        unanswered = sum(not r.answered.is_set() for r in sent.interactions or [])

        alone = Sent(joined=[], votes={}, interactions=[])
        quiet = max(5, int(seconds / 6))
        messages = await _phase(
            ponte, bare, emu, _cycle(("message",)), int(quiet * rate), rate, members, poll, alone
        )
        memory = await ponte.mark()
        bare_memory = await bare.mark()
    finally:
        await ponte.stop()
        await bare.stop()
    return LoadReport(rate, seconds, mix, messages, acks, unanswered, lost, memory, bare_memory)


async def _phase(
    ponte: Child,
    bare: Child,
    emu: DiscordEmulator,
    kinds: Iterator[str],
    count: int,
    rate: float,
    members: list[str],
    poll: tuple[str, list[str]],
    sent: Sent,
) -> Phase:
    first, first_bare = await ponte.mark(), await bare.mark()
    began = time.monotonic()
    await _drive(emu, kinds, count, rate, members, poll, sent)
    await _finish(emu, sent)
    took = time.monotonic() - began
    last, last_bare = await ponte.mark(), await bare.mark()
    return Phase(count, took, last.cpu - first.cpu, last_bare.cpu - first_bare.cpu)


def report(seconds: float = 60, rate: float = 200) -> str:
    return asyncio.run(measure_load(seconds, rate)).report()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="how long the mix runs")
    parser.add_argument("--rate", type=float, default=200, help="events a second")
    options = parser.parse_args(argv)
    sys.stdout.write(report(options.seconds, options.rate) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
