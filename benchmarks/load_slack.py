"""The load benchmark's Slack half: the same stream over Socket Mode, 50,000 members in
the workspace. Slack has no bare client to weigh Ponte against, so only Ponte's own CPU
time is reported."""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.load_process import Child
from benchmarks.load_report import (
    CHAT,
    MEMBERS,
    MIX,
    Counts,
    LoadReport,
    Phase,
    Sent,
    cycle,
    effects,
    paced,
    steady,
    tally,
)
from tests.adapters.slack_support import bot_posts, button_ids, field_texts, new_emulator
from tests.emulators.slack import Delivery, SlackEmulator

POLL = '"Pizza o pasta?" "Pizza" "Pasta"'
MENTION = re.compile(r"<@([UW][A-Z0-9]+)")


@dataclass
class SlackLoad:
    emu: SlackEmulator
    members: list[str]
    poll: tuple[str, str, list[str]] = ("", "", [])  # channel, ts, the buttons' action ids
    interactions: list[Delivery] = field(default_factory=list)

    async def drive(self, kinds: Iterator[str], count: int, rate: float, sent: Sent) -> None:
        emu, members = self.emu, self.members
        voters = iter(members[: MEMBERS // 2])
        commanders = iter(members[MEMBERS // 2 : MEMBERS * 3 // 4])
        authors = members[MEMBERS * 3 // 4 :]
        channel, ts, actions = self.poll
        async for number in paced(count, rate):
            kind = next(kinds)
            if kind == "message":
                author = authors[number % len(authors)]
                await emu.post_message(author, "general", f"{CHAT[number % len(CHAT)]} ({number})")
                sent.messages += 1
            elif kind == "join":
                sent.joined.append(await emu.member_join(f"newcomer{len(sent.joined)}"))
            elif kind == "click":
                voter, choice = next(voters), 1 if number % 3 == 0 else 0
                self.interactions.append(
                    await emu.click_button(voter, (channel, ts), actions[choice])
                )
                sent.votes[voter] = choice
            elif number % 20 < 10:
                self.interactions.append(
                    await emu.slash_command(next(commanders), "general", "/help")
                )
            else:
                self.interactions.append(
                    await emu.slash_command(next(commanders), "general", "/poll", POLL)
                )
                sent.polls += 1

    async def finish(self, database: Path) -> float:
        """Until every delivery is acknowledged and the bot has gone quiet."""
        # Slack gives up on an ack after three seconds: a longer wait would find none.
        waiting = [d.ack_future for d in self.emu.deliveries if d.ack_future and not d.acked]
        if waiting:
            await asyncio.wait(waiting, timeout=5)
        return await steady(database, self.emu.mark)

    def acks(self) -> list[float]:
        """Milliseconds from each command's or click's envelope to the app's ack of it."""
        return [
            future.result().elapsed * 1000
            for delivery in self.interactions
            if (future := delivery.ack_future) is not None
            and future.done()
            and future.exception() is None
        ]

    def greeted(self, joined: list[str]) -> tuple[int, int]:
        emu = self.emu
        mentioned = {
            user
            for messages in emu.messages.values()
            for message in messages
            if message.get("bot_id") == emu.bot_id
            for user in MENTION.findall(str(message))
        }
        in_channel = sum(uid in mentioned for uid in joined)
        return in_channel, sum(bool(emu.dms_to(uid)) for uid in joined)

    def shown(self) -> list[int]:
        channel, ts, _ = self.poll
        card = self.emu.message(channel, ts)
        assert card is not None
        return tally(field_texts(card))


async def measure_slack(seconds: float = 60, rate: float = 200) -> LoadReport:
    with tempfile.TemporaryDirectory(prefix="ponte-load-") as folder:
        emu = new_emulator()
        async with emu:
            emu.transport = "socket"
            load = SlackLoad(emu, [emu.add_user(f"member{n}") for n in range(MEMBERS)])
            return await _measure(load, Path(folder), seconds, rate)


async def _measure(load: SlackLoad, folder: Path, seconds: float, rate: float) -> LoadReport:
    emu = load.emu
    database = folder / "load.db"
    ponte = await Child.start(
        {
            "kind": "ponte-slack",
            "database_url": f"sqlite+aiosqlite:///{database}",
            "bot_token": emu.bot_token,
            "app_token": emu.app_token,
            "signing_secret": emu.signing_secret,
            "api_url": emu.api_url,
        },
        folder / "ponte.log",
    )
    try:
        await emu.wait_for(lambda: emu.socket_connections == 1, what="one Socket Mode link")
        opened = await emu.slash_command(emu.admin_user_id, "general", "/poll", POLL)
        await emu.wait_for_ack(opened, timeout=30)
        card = await emu.wait_for(
            lambda: next((m for m in bot_posts(emu, "general") if button_ids(m)), None),
            timeout=30,
            what="the poll's card",
        )
        ids = button_ids(card)
        load.poll = (emu.channel_id("general"), card["ts"], [ids["Pizza"], ids["Pasta"]])
        await load.finish(database)
        before = Counts.read(database)
        sent = Sent()
        start = emu.mark()
        mix = await _phase(ponte, load, database, cycle(MIX), int(seconds * rate), rate, sent)
        lost = effects(sent, before, Counts.read(database), load.greeted(sent.joined), load.shown())
        acks = load.acks()
        made = Counter(call.method for call in emu.calls[start:]).most_common()
        # Slack gives up after three seconds and retries or shows the member an error.
        late = sum(ack > 3000 for ack in acks)
        unanswered = sum(not d.acked for d in load.interactions) + late
        alone = int(max(5, seconds / 6) * rate)
        messages = await _phase(ponte, load, database, cycle(("message",)), alone, rate, Sent())
        memory = await ponte.mark()
    finally:
        await ponte.stop()
    problems = ponte.problems()
    return LoadReport(
        "Slack", rate, seconds, mix, messages, acks, unanswered, lost, memory, None, made, problems
    )


async def _phase(
    ponte: Child,
    load: SlackLoad,
    database: Path,
    kinds: Iterator[str],
    count: int,
    rate: float,
    sent: Sent,
) -> Phase:
    first = await ponte.mark()
    began = time.monotonic()
    await load.drive(kinds, count, rate, sent)
    took = await load.finish(database) - began
    last = await ponte.mark()
    return Phase(count, took, last.cpu - first.cpu, None)
