"""Ponte under a steady load on the Discord and Slack emulators.

`python -m benchmarks.load [--seconds 60] [--rate 200] [--platform discord|slack|both]`:
50,000 members in the guild (the workspace), then `rate` events a second for `seconds`
(four in ten messages, two joins, two votes on one poll, two commands), then a shorter run
of messages alone. Ponte runs in a process of its own, and on Discord a discord.py client
with no handlers beside it on the same emulator, so that each one's CPU time and memory
are its own. Reported: how long each interaction waited for its acknowledgement, whether
every event had its effect, Ponte's memory, and the CPU time per event of each process.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load_drive import phase
from benchmarks.load_process import Child
from benchmarks.load_report import (
    MEMBERS,
    MIX,
    LoadReport,
    Records,
    Sent,
    cycle,
    effects,
    load_database,
    steady,
    tally,
)
from tests.adapters.discord_support import buttons, discord_emulator, field_values, settle
from tests.emulators.discord_emulator import DiscordEmulator, InteractionRecord

POLL = {"question": "Pizza o pasta?", "option1": "Pizza", "option2": "Pasta"}


@dataclass
class DiscordLoad:
    emu: DiscordEmulator
    members: list[str]
    poll: tuple[str, list[str]] = ("", [])  # the card's message id and its buttons' ids
    interactions: list[InteractionRecord] = field(default_factory=list)

    async def say(self, author: str, text: str) -> None:
        await self.emu.post_message(author, "general", text)

    async def join(self, name: str) -> str:
        return await self.emu.member_join(name)

    async def vote(self, voter: str, choice: int) -> None:
        card, ids = self.poll
        self.interactions.append(await self.emu.press_button(voter, card, ids[choice]))

    async def command(self, member: str, name: str) -> None:
        if name == "help":
            record = await self.emu.slash_command(member, "general", "help")
        else:
            record = await self.emu.slash_command(
                member, "general", "poll", subcommand="create", options=POLL
            )
        self.interactions.append(record)

    async def finish(self, database: Records) -> float:
        """Until every interaction is answered and the bot has gone quiet."""
        # Past Discord's three seconds an answer is refused: a longer wait would find none.
        waiting = [
            asyncio.ensure_future(r.answered.wait())
            for r in self.interactions
            if not r.answered.is_set()
        ]
        if waiting:
            await asyncio.wait(waiting, timeout=5)
        for waiter in waiting:
            waiter.cancel()
        return await steady(database, self.emu.mark)

    def acks(self) -> list[tuple[str, float]]:
        """What each interaction was, and the milliseconds from its dispatch to the bot's
        first callback."""
        answered: dict[str, float] = {}
        for call in self.emu.calls:
            if call.method == "POST" and call.path.endswith("/callback"):
                answered.setdefault(call.path.split("/")[2], call.time)
        return [
            (
                f"/{record.name}" if record.name else "vote",
                (answered[record.id] - record.created_at) * 1000,
            )
            for record in self.interactions
            if record.id in answered
        ]

    def greeted(self, joined: list[str]) -> tuple[int, int]:
        """Joins greeted in a channel, and joins sent the rules by DM."""
        emu = self.emu
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


async def measure_discord(
    seconds: float = 60, rate: float = 200, database: str = "sqlite"
) -> LoadReport:
    with tempfile.TemporaryDirectory(prefix="ponte-load-") as folder:
        async with discord_emulator() as emu, load_database(database, Path(folder)) as records:
            load = DiscordLoad(emu, [emu.add_user(f"member{n}") for n in range(MEMBERS)])
            return await _measure(load, Path(folder), seconds, rate, records)


async def _measure(
    load: DiscordLoad, folder: Path, seconds: float, rate: float, database: Records
) -> LoadReport:
    emu = load.emu
    address = {"token": emu.token, "api_url": emu.api_url, "gateway_url": emu.gateway_url}
    ponte = await Child.start(
        {"kind": "ponte", "database_url": database.url, **address},
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
        load.poll = (opened.response_message_id, [b["custom_id"] for b in buttons(card)])
        await settle(emu, quiet=0.3)
        before = await database.counts()
        sent = Sent()
        start = emu.mark()
        mix = await phase(load, ponte, bare, database, cycle(MIX), int(seconds * rate), rate, sent)
        greeted = load.greeted(sent.joined)
        shown = tally(field_values(emu.get_message(load.poll[0])))
        lost = effects(sent, before, await database.counts(), greeted, shown)
        acks = load.acks()
        made = Counter(f"{c.method} {c.route}" for c in emu.calls[start:]).most_common()
        unanswered = sum(not r.answered.is_set() for r in load.interactions)
        alone = int(max(5, seconds / 6) * rate)
        only = cycle(("message",))
        messages = await phase(load, ponte, bare, database, only, alone, rate, Sent())
        memory, bare_memory = await ponte.mark(), await bare.mark()
    finally:
        await ponte.stop()
        await bare.stop()
    problems = ponte.problems()
    return LoadReport(
        f"Discord emulator, {database.name}",
        rate,
        seconds,
        mix,
        messages,
        acks,
        unanswered,
        lost,
        memory,
        bare_memory,
        made,
        problems,
    )


async def measure_all(
    seconds: float, rate: float, platforms: tuple[str, ...], database: str = "sqlite"
) -> list[LoadReport]:
    from benchmarks.load_slack import measure_slack

    measures = {"discord": measure_discord, "slack": measure_slack}
    return [await measures[name](seconds, rate, database) for name in platforms]


def report(
    seconds: float = 60, rate: float = 200, platforms: str = "both", database: str = "sqlite"
) -> str:
    chosen = ("discord", "slack") if platforms == "both" else (platforms,)
    found = asyncio.run(measure_all(seconds, rate, chosen, database))
    return "\n\n".join(result.report() for result in found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60, help="how long the mix runs")
    parser.add_argument("--rate", type=float, default=200, help="events a second")
    parser.add_argument("--platform", choices=("discord", "slack", "both"), default="both")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="Ponte's database: a SQLite file, or a new database on the local PostgreSQL",
    )
    options = parser.parse_args(argv)
    chosen = report(options.seconds, options.rate, options.platform, options.database)
    sys.stdout.write(chosen + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
