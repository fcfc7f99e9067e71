"""Ponte on the Discord emulator, in-process: start, stop, restart, and read what members see.

`DiscordRun` is one Ponte process (an `App` with the Discord adapter) attached to an
emulator. `ScriptOverDiscord` plays the console's script language (the scripted demo) as
Discord gateway events and interactions, so the same scenario runs on both platforms.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from pydantic import SecretStr

from bot.adapters.console.script import (
    Act,
    Advance,
    Click,
    Delete,
    Edit,
    Join,
    Leave,
    Nothing,
    Reply,
    Say,
    parse_line,
)
from bot.adapters.discord import DiscordPlatform
from bot.adapters.discord.actions import ActionPayload
from bot.app import App
from bot.config import Settings
from bot.core.arguments import tokenize
from bot.core.clock import AdjustableClock
from bot.core.dispatcher import Dispatcher
from bot.core.model import Role
from tests.emulators.discord_emulator import DiscordEmulator, InteractionRecord

JSON = dict[str, Any]
EPHEMERAL = 1 << 6
ROLE_NAMES = {Role.ADMIN: "Admin", Role.MODERATOR: "Moderator", Role.STAFF: "Staff"}
# The console's channels and the emulator's guild: #generale is Discord's #general.
CHANNELS = {"generale": "general", "general": "general"}


@asynccontextmanager
async def discord_emulator(**options: Any) -> AsyncIterator[DiscordEmulator]:
    """An emulator with the demo's #benvenuti; discord.py's URLs are put back afterwards
    (the adapter points them at the emulator, process-wide, when it starts)."""
    emulator = DiscordEmulator(**options)
    emulator.add_channel("benvenuti")
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    await emulator.start()
    try:
        yield emulator
    finally:
        discord.http.Route.BASE = saved[0]
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved[1]
        await emulator.stop()


def settings_for(emu: DiscordEmulator, database_url: str, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        default_language="it",
        discord_token=SecretStr(emu.token),
        discord_api_url=emu.api_url,
        discord_gateway_url=emu.gateway_url,
        **overrides,
    )


@dataclass
class DiscordRun:
    """One Ponte process on the emulator; `restart` is a new process on the same database."""

    emu: DiscordEmulator
    database_url: str
    overrides: dict[str, Any] = field(default_factory=dict)
    ack_after: float = 2.0
    app: App | None = None
    platform: DiscordPlatform | None = None

    async def start(self) -> None:
        settings = settings_for(self.emu, self.database_url, **self.overrides)
        self.app = App(settings, clock=AdjustableClock())
        self.platform = DiscordPlatform(
            settings,
            self.app.translator,
            ack_after=self.ack_after,
            guild_ready_timeout=0.05,
            identify_delay=0,
        )
        self.app.add_platform(self.platform)
        await self.app.start()

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
        self.app = self.platform = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def dispatcher(self) -> Dispatcher:
        assert self.app is not None and self.app.dispatcher is not None
        return self.app.dispatcher

    async def advance(self, delta: timedelta) -> None:
        assert self.app is not None
        await self.app.scheduler.advance(delta)
        await settle(self.emu)


async def settle(emu: DiscordEmulator, quiet: float = 0.15, limit: float = 10) -> None:
    """Until the bot has made no REST call for `quiet` seconds: what it was doing is done."""
    deadline = time.monotonic() + limit
    seen = -1
    while time.monotonic() < deadline:
        count = len(emu.calls)
        if count == seen:
            return
        seen = count
        await asyncio.sleep(quiet)
    raise TimeoutError("the bot kept calling the API")


async def create_role(emu: DiscordEmulator, name: str) -> str:
    """A role made by an admin before Ponte starts (the demo's starting role)."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{emu.api_url}/guilds/{emu.guild_id}/roles",
            headers={"Authorization": f"Bot {emu.token}"},
            json={"name": name},
        ) as response,
    ):
        assert response.status == 200, await response.text()
        return str((await response.json())["id"])


# -- reading what members see -------------------------------------------------------------


def text_of(message: JSON) -> str:
    """A message's first line of text, else its card's title."""
    content = str(message.get("content") or "")
    if content:
        return content.splitlines()[0]
    embeds = message.get("embeds") or []
    return str(embeds[0].get("title", "")) if embeds else ""


def buttons(message: JSON) -> list[JSON]:
    return [item for row in message.get("components") or [] for item in row["components"]]


def field_values(message: JSON) -> list[str]:
    return [item["value"] for item in message["embeds"][0].get("fields", [])]


def counts(message: JSON) -> list[int]:
    """The tally of each option on a poll card: `████ 2 voti · 100%` → 2."""
    found = [re.search(r"[█░]+ (\d+) vot", value) for value in field_values(message)]
    return [int(match.group(1)) for match in found if match]


def private_answers(emu: DiscordEmulator, record: InteractionRecord) -> list[str]:
    """What only the member who interacted saw: ephemeral responses and follow-ups."""
    ids = [record.response_message_id, *record.followup_ids]
    texts = []
    for message_id in ids:
        if message_id is None:
            continue
        try:
            message = emu.get_message(message_id)
        except Exception:
            continue  # deleted (a "thinking" message replaced by a private answer)
        if message["flags"] & EPHEMERAL:
            texts.append(text_of(message))
    return texts


def bot_messages(emu: DiscordEmulator, channel: str) -> list[JSON]:
    return [
        message
        for message in emu.messages[emu.channel_id(channel)]
        if message["author"]["id"] == emu.bot_user_id and not message["flags"] & EPHEMERAL
    ]


# -- the console's script language over Discord ---------------------------------------------


class ScriptOverDiscord:
    """Plays console lines as what Discord members do: joins, slash commands, clicks.

    Slash commands are typed as on the console (`/poll "Q" "A" "B" duration:1h`) and sent
    as typed options; a click on a button that Discord shows disabled (the poll closed)
    is a member whose screen still shows the card from before: a stale copy is pressed.
    """

    def __init__(self, run: DiscordRun) -> None:
        self.run = run
        self.emu = run.emu
        self.users: dict[str, str] = {}
        self.records: list[tuple[str, InteractionRecord]] = []

    async def play(self, lines: list[str]) -> None:
        for raw in lines:
            await self.line(raw)

    async def line(self, raw: str) -> None:
        line = parse_line(raw)
        match line:
            case Nothing():
                return
            case Join(name, roles):
                wanted = [ROLE_NAMES[role] for role in sorted(roles) if role in ROLE_NAMES]
                self.users[name] = await self.emu.member_join(name, roles=wanted)
                with contextlib.suppress(TimeoutError):  # the welcome's DM, when it is on
                    await self.emu.wait_for_dm(self.users[name], timeout=3)
            case Leave(name):
                await self.emu.member_leave(self.users[name])
            case Say(name, channel, text) if text.strip().startswith("/"):
                await self._command(name, CHANNELS.get(channel or "", channel or "general"), text)
            case Say(name, channel, text):
                where = CHANNELS.get(channel or "", channel or "general")
                await self.emu.post_message(self.users[name], where, text)
            case Click(name, label):
                await self._click(name, label)
            case Reply(name, target, text):
                message = self._target(target)
                await self.emu.post_message(
                    self.users[name], message["channel_id"], text, reply_to=message["id"]
                )
            case Edit(name, target, text):
                await self.emu.edit_message(self._target(target)["id"], content=text)
            case Delete(name, target):
                await self.emu.delete_message(self._target(target)["id"])
            case Act(name, action, target, _):
                await self._act(name, action, self._target(target))
            case Advance(delta):
                await self.run.advance(delta)
                return
            case _:
                raise ValueError(f"not a script line: {raw!r}")
        await settle(self.emu)

    def _target(self, reference: str) -> JSON:
        """`@alice`: alice's newest message. Discord has no message numbers: a script that
        runs on both platforms names messages by their author."""
        if not reference.startswith("@"):
            raise ValueError(f"on Discord a script names a message by @member: {reference!r}")
        author = self.users[reference[1:]]
        posts = [m for ms in self.emu.messages.values() for m in ms]
        mine = [m for m in posts if m["author"]["id"] == author]
        if not mine:
            raise LookupError(f"no message by {reference}")
        return max(mine, key=lambda m: int(m["id"]))

    async def _act(self, name: str, action: str, message: JSON) -> None:
        """A message action as Discord members choose it: Apps → its label."""
        assert self.run.app is not None
        names = ActionPayload(self.run.app.translator, self.run.app.settings.default_language)
        found = next(a for a in self.run.dispatcher.message_actions if a.name == action)
        record = await self.emu.message_command(self.users[name], message["id"], names.name(found))
        await self.emu.wait_for_callback(record)
        self.records.append((name, record))

    async def _command(self, name: str, channel: str, text: str) -> None:
        head, _, rest = text.strip()[1:].partition(" ")
        schema = next(c for c in self.emu.registered_commands() if c["name"] == head)
        subs = {o["name"]: o for o in schema["options"] if o["type"] == 1}
        first, _, after = rest.strip().partition(" ")
        sub: str | None = None
        if first in subs:
            sub, rest = first, after
        elif "create" in subs:
            sub = "create"  # `/poll "Q" "A" "B"` as typed on the console
        options_schema = subs[sub]["options"] if sub else schema["options"]
        record = await self.emu.slash_command(
            self.users[name],
            channel,
            head,
            options=bind(options_schema, rest),
            subcommand=sub,
        )
        await self.emu.wait_for_callback(record)
        self.records.append((name, record))

    async def _click(self, name: str, label: str) -> None:
        user = self.users[name]
        for message in reversed([m for ms in self.emu.messages.values() for m in ms]):
            if message["author"]["id"] != self.emu.bot_user_id:
                continue
            found = next((b for b in buttons(message) if b["label"] == label), None)
            if found is None:
                continue
            target = message
            if found.get("disabled"):
                stale = {**found, "disabled": False}
                target = await self.emu.post_message(
                    self.emu.bot_user_id,
                    message["channel_id"],
                    components=[{"type": 1, "components": [stale]}],
                    embeds=message["embeds"],
                )
            record = await self.emu.press_button(user, target["id"], found["custom_id"])
            await self.emu.wait_for_callback(record)
            answered = functools.partial(private_answers, self.emu, record)
            await self.emu.wait_until(answered, what="an answer")
            self.records.append((name, record))
            return
        raise LookupError(f"no button {label!r} for {name}")

    def answers(self) -> list[tuple[str, str]]:
        """(member, first line) of every private answer, in the order of the script."""
        return [
            (name, text)
            for name, record in self.records
            for text in private_answers(self.emu, record)
        ]


def bind(schema: list[JSON], text: str) -> dict[str, Any]:
    """Console-typed arguments as Discord option values: `name:value` names an option,
    other words fill the free string options in order; `#name` is a channel's name."""
    by_name = {option["name"]: option for option in schema}
    values: dict[str, Any] = {}
    positional: list[str] = []
    for token in tokenize(text):
        name, value = token.name, token.text
        if name is None and not token.quoted and ":" in value:
            head, _, tail = value.partition(":")
            if head in by_name:
                name, value = head, tail
        if name is None:
            positional.append(value)
        else:
            values[name] = value
    free = [o["name"] for o in schema if o["name"] not in values and o["type"] == 3]
    free = [n for n in free if n != "duration"]
    values.update(zip(free, positional, strict=False))
    typed: dict[str, Any] = {}
    for name, value in values.items():
        kind = by_name[name]["type"]
        if kind == 5:
            typed[name] = value.lower() in ("yes", "sì", "si", "true", "1")
        elif kind == 4:
            typed[name] = int(value)
        elif kind == 7:
            typed[name] = value.lstrip("#")
        elif kind == 11:  # `file:path/to/bank.gift`, as the console takes it
            path = Path(value)
            typed[name] = (path.name, path.read_bytes())
        else:
            typed[name] = value
    return typed


# -- a test-only cog (tests/adapters/discord_probe) ---------------------------------------

PROBE_COGS = Path(__file__).resolve().parent / "discord_probe"


@contextlib.contextmanager
def probe_cog_on_path() -> Iterator[None]:
    """The real loader finds the probe cog next to Ponte's own cogs while this lasts."""
    import cogs

    saved = list(cogs.__path__)
    cogs.__path__[:] = [*saved, str(PROBE_COGS)]
    try:
        yield
    finally:
        cogs.__path__[:] = saved


def probe_of(run: DiscordRun) -> Any:
    """The probe cog of a running Ponte (its record of the events it got)."""
    assert run.app is not None
    return next(cog for cog in run.app.report.loaded if cog.name == "discordprobe")


@pytest.fixture
async def probe_emu() -> AsyncIterator[DiscordEmulator]:
    async with discord_emulator() as emulator:
        yield emulator


def only_cogs(*names: str) -> dict[str, Any]:
    """Settings that load these cogs alone (the others are disabled)."""
    from bot.core.loader import cog_package_names

    others = [n.rsplit(".", 1)[-1] for n in cog_package_names()]
    return {"disabled_cogs": ",".join(n for n in others if n not in names)}


@pytest.fixture
async def probed(probe_emu: DiscordEmulator, tmp_path: Path) -> AsyncIterator[DiscordRun]:
    """Ponte with the probe cog and the help, on the emulator."""
    with probe_cog_on_path():
        run = DiscordRun(
            probe_emu,
            f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}",
            only_cogs("discordprobe", "help"),
        )
        await run.start()
        try:
            yield run
        finally:
            await run.stop()
