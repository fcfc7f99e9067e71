"""The load benchmark's Slack half: the same stream over Socket Mode, 50,000 members in
the workspace. Slack has no bare client to weigh Ponte against, so only Ponte's own CPU
time is reported."""

from __future__ import annotations

import asyncio
import re
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

    async def say(self, author: str, text: str) -> None:
        await self.emu.post_message(author, "general", text)

    async def join(self, name: str) -> str:
        return await self.emu.member_join(name)

    async def vote(self, voter: str, choice: int) -> None:
        channel, ts, actions = self.poll
        self.interactions.append(await self.emu.click_button(voter, (channel, ts), actions[choice]))

    async def command(self, member: str, name: str) -> None:
        text = POLL if name == "poll" else ""
        self.interactions.append(await self.emu.slash_command(member, "general", f"/{name}", text))

    async def finish(self, database: Records) -> float:
        """Until every delivery is acknowledged and the bot has gone quiet."""
        # Slack gives up on an ack after three seconds: a longer wait would find none.
        waiting = [d.ack_future for d in self.emu.deliveries if d.ack_future and not d.acked]
        if waiting:
            await asyncio.wait(waiting, timeout=5)
        return await steady(database, self.emu.mark)

    def acks(self) -> list[tuple[str, float]]:
        """What each command or click was, and the milliseconds from its envelope to the
        app's ack of it."""
        return [
            (str(delivery.payload.get("command") or "vote"), future.result().elapsed * 1000)
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


async def measure_slack(
    seconds: float = 60, rate: float = 200, database: str = "sqlite"
) -> LoadReport:
    with tempfile.TemporaryDirectory(prefix="ponte-load-") as folder:
        emu = new_emulator()
        async with emu, load_database(database, Path(folder)) as records:
            emu.transport = "socket"
            load = SlackLoad(emu, [emu.add_user(f"member{n}") for n in range(MEMBERS)])
            return await _measure(load, Path(folder), seconds, rate, records)


async def _measure(
    load: SlackLoad, folder: Path, seconds: float, rate: float, database: Records
) -> LoadReport:
    emu = load.emu
    ponte = await Child.start(
        {
            "kind": "ponte-slack",
            "database_url": database.url,
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
        before = await database.counts()
        sent = Sent()
        start = emu.mark()
        mix = await phase(load, ponte, None, database, cycle(MIX), int(seconds * rate), rate, sent)
        lost = effects(
            sent, before, await database.counts(), load.greeted(sent.joined), load.shown()
        )
        acks = load.acks()
        made = Counter(call.method for call in emu.calls[start:]).most_common()
        # Slack gives up after three seconds and retries or shows the member an error.
        late = sum(ms > 3000 for _, ms in acks)
        unanswered = sum(not d.acked for d in load.interactions) + late
        alone = int(max(5, seconds / 6) * rate)
        only = cycle(("message",))
        messages = await phase(load, ponte, None, database, only, alone, rate, Sent())
        memory = await ponte.mark()
    finally:
        await ponte.stop()
    problems = ponte.problems()
    return LoadReport(
        f"Slack emulator, {database.name}",
        rate,
        seconds,
        mix,
        messages,
        acks,
        unanswered,
        lost,
        memory,
        None,
        made,
        problems,
    )
