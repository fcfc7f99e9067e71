"""The load benchmark's stream, sent the same way to either emulator: each platform says
how a message, a join, a vote and a command are made on it; the pacing, who does what,
and the timing of a phase are here once."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from typing import Protocol

from benchmarks.load_process import Child
from benchmarks.load_report import CHAT, MEMBERS, Phase, Records, Sent, paced


class Platform(Protocol):
    members: list[str]

    async def say(self, author: str, text: str) -> None: ...

    async def join(self, name: str) -> str: ...

    async def vote(self, voter: str, choice: int) -> None: ...

    async def command(self, member: str, name: str) -> None:
        """`name` is "help" or "poll" (a new poll)."""

    async def finish(self, database: Records) -> float:
        """Until every interaction is answered and the bot has gone quiet; when that was."""


async def drive(load: Platform, kinds: Iterator[str], count: int, rate: float, sent: Sent) -> None:
    """`count` events at `rate` a second, of the kinds `kinds` names, each by its own kind
    of member: voters and commanders press once each, authors post in turn."""
    members = load.members
    voters = iter(members[: MEMBERS // 2])
    commanders = iter(members[MEMBERS // 2 : MEMBERS * 3 // 4])
    authors = members[MEMBERS * 3 // 4 :]
    async for number in paced(count, rate):
        kind = next(kinds)
        if kind == "message":
            author = authors[number % len(authors)]
            await load.say(author, f"{CHAT[number % len(CHAT)]} ({number})")
            sent.messages += 1
        elif kind == "join":
            sent.joined.append(await load.join(f"newcomer{len(sent.joined)}"))
        elif kind == "click":
            voter, choice = next(voters), 1 if number % 3 == 0 else 0
            await load.vote(voter, choice)
            sent.votes[voter] = choice
        elif number % 20 < 10:
            await load.command(next(commanders), "help")
        else:
            await load.command(next(commanders), "poll")
            sent.polls += 1


async def phase(
    load: Platform,
    ponte: Child,
    bare: Child | None,
    database: Records,
    kinds: Iterator[str],
    count: int,
    rate: float,
    sent: Sent,
) -> Phase:
    """One run of the stream, with the CPU time Ponte (and the bare client) spent on it."""
    # The emulator's own collector must not pause it mid-run: a full collection of its
    # 50,000 members and their messages (300,000 objects) took 130 ms, and every
    # interaction it held meanwhile was timed as Ponte's latency.
    gc.collect()
    gc.freeze()
    first = await ponte.mark()
    first_bare = await bare.mark() if bare is not None else None
    began = time.monotonic()
    await drive(load, kinds, count, rate, sent)
    took = await load.finish(database) - began
    last = await ponte.mark()
    bare_cpu = None
    if bare is not None and first_bare is not None:
        bare_cpu = (await bare.mark()).cpu - first_bare.cpu
    return Phase(count, took, last.cpu - first.cpu, bare_cpu)
