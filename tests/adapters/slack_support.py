"""Ponte on the Slack emulator, in-process: start, stop, restart, and read what members see.

`SlackRun` is one Ponte process (an `App` with the Slack adapter) attached to an emulator,
in Socket Mode or HTTP mode. `ScriptOverSlack` plays the console's script language (the
scripted demo) as Slack events, so the same scenario runs on both platforms.
"""

from __future__ import annotations

import copy
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import pytest
from sqlalchemy import select

import bot.app
from bot.adapters.console.script import Advance, Click, Join, Leave, Nothing, Say, parse_line
from bot.adapters.slack import SlackPlatform
from bot.adapters.slack.blocks import block_kind
from bot.adapters.slack.manifest import BOT_SCOPES
from bot.app import App
from bot.config import Settings
from bot.core.cards import Message
from bot.core.clock import AdjustableClock
from bot.core.cog import Cog
from bot.core.commands import Command, MessageAction
from bot.core.loader import LoadReport
from bot.core.model import Role
from bot.core.platform import EventSink
from bot.core.serialize import message_from_json
from bot.core.services import Services
from bot.storage.models import SentMessage
from tests.emulators.slack import SlackEmulator, message_shortcut
from tests.emulators.slack.payloads import block_actions
from tests.harness import TestBot

Mode = Literal["socket", "http"]
SIGNING_SECRET = "ponte-test-signing-secret-0123456789"
CONSOLE_CHANNELS = {"generale": "general", "general": "general"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def add_cogs(monkeypatch: pytest.MonkeyPatch, *factories: Callable[[Services], Cog]) -> None:
    """Ponte loads these test-only cogs next to the real ones."""
    real = bot.app.load_cogs

    def load(services: Services, disabled: tuple[str, ...] = ()) -> LoadReport:
        report = real(services, disabled)
        report.loaded.extend(factory(services) for factory in factories)
        return report

    monkeypatch.setattr(bot.app, "load_cogs", load)


def new_emulator(team_name: str = "Ponte") -> SlackEmulator:
    """A workspace with the scopes the manifest asks for, no more."""
    return SlackEmulator(signing_secret=SIGNING_SECRET, team_name=team_name, bot_scopes=BOT_SCOPES)


# -- one Ponte process ---------------------------------------------------------------


@dataclass
class SlackRun:
    emu: SlackEmulator
    mode: Mode
    database_url: str
    language: str = "it"
    overrides: dict[str, Any] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    app: App | None = None

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "database_url": self.database_url,
            "default_language": self.language,
            "slack_bot_token": self.emu.bot_token,
            "slack_app_token": self.emu.app_token if self.mode == "socket" else None,
            "slack_signing_secret": self.emu.signing_secret,
            "slack_api_url": self.emu.api_url,
            "slack_host": "127.0.0.1",
            "slack_port": self.port,
            **self.overrides,
        }
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self, clock: AdjustableClock | None = None) -> None:
        emu = self.emu
        if self.mode == "http":
            emu.transport = "http"
            emu.http_target = f"http://127.0.0.1:{self.port}/slack/events"
        else:
            emu.transport = "socket"
        app = App(self.settings(), clock=clock or AdjustableClock())
        app.add_platform(SlackPlatform(app.settings, app.services))
        self.app = app
        await app.start()
        if self.mode == "socket":
            await emu.wait_for(lambda: emu.socket_connections == 1, what="one Socket Mode link")

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    @property
    def platform(self) -> SlackPlatform:
        assert self.app is not None, "start first"
        platform = self.app.platforms.get("slack")
        assert isinstance(platform, SlackPlatform)
        return platform

    async def settle(self) -> None:
        """Every delivery so far acknowledged, and everything it started, finished."""
        for delivery in list(self.emu.deliveries):
            if not delivery.acked:
                await self.emu.wait_for_ack(delivery, timeout=5)
        await self.platform.idle()

    async def advance(self, delta: timedelta) -> None:
        assert self.app is not None
        await self.app.scheduler.advance(delta)
        await self.settle()

    async def command(self, user: str, channel: str, text: str) -> None:
        name, _, rest = text.lstrip("/").partition(" ")
        await self.emu.slash_command(
            self.emu.user_id(user), channel, f"/{name}", slack_escape(self.emu, rest)
        )
        await self.settle()

    async def shortcut(self, user: str, channel: str, ts: str, callback_id: str) -> None:
        """`user` opens the message's ⋯ menu and picks the shortcut `callback_id`."""
        await message_shortcut(self.emu, self.emu.user_id(user), (channel, ts), callback_id)
        await self.settle()

    async def click(self, user: str, channel: str, ts: str, label: str) -> None:
        message = self.emu.message(channel, ts)
        assert message is not None
        action_id = button_ids(message)[label]
        await self.emu.click_button(self.emu.user_id(user), (channel, ts), action_id)
        await self.settle()


class Recorder:
    """Stands between the adapter and the dispatcher, and keeps what passed."""

    def __init__(self, sink: EventSink) -> None:
        self.sink = sink
        self.events: list[object] = []

    @property
    def message_actions(self) -> list[MessageAction]:
        return self.sink.message_actions

    @property
    def commands(self) -> list[Command]:
        return self.sink.commands

    def __getattr__(self, name: str) -> Any:
        forward = getattr(self.sink, name)

        async def record(event: object) -> None:
            self.events.append(event)
            await forward(event)

        return record


# -- what members see -----------------------------------------------------------------


def slack_escape(emu: SlackEmulator, text: str) -> str:
    """A slash command's text as Slack sends it with `should_escape`: entities escaped,
    known `@member` and `#channel` as `<@U…|name>` and `<#C…|name>`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def member(match: re.Match[str]) -> str:
        user = emu.workspace.find_user(match.group(1))
        return f"<@{user.id}|{user.name}>" if user else match.group(0)

    def channel(match: re.Match[str]) -> str:
        conv = emu.workspace.resolve(match.group(1))
        return f"<#{conv.id}|{conv.name}>" if conv else match.group(0)

    text = re.sub(r"(?<![\w{])@([\w.\-]+)", member, text)
    return re.sub(r"(?<![\w{])#([\w\-]+)", channel, text)


def ws_ts(emu: SlackEmulator) -> str:
    return emu.workspace.clock.next()


def button_ids(message: dict[str, Any]) -> dict[str, str]:
    return {
        element["text"]["text"]: element["action_id"]
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    }


def block(message: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The message's block of that kind (`title`, `buttons`, …), whatever its iteration."""
    return next(
        (b for b in message.get("blocks", []) if block_kind(str(b.get("block_id", ""))) == kind),
        None,
    )


def field_texts(message: dict[str, Any]) -> list[str]:
    """The card's fields as drawn: `*name*\\nvalue` per field."""
    found: list[str] = []
    for item in message.get("blocks", []):
        block_id = str(item.get("block_id", ""))
        if block_id.startswith("field-"):
            found.append(item["text"]["text"])
        elif block_id.startswith("fields-"):
            found.extend(entry["text"] for entry in item["fields"])
    return found


def bot_posts(emu: SlackEmulator, channel: str) -> list[dict[str, Any]]:
    conv = emu.workspace.resolve(channel)
    assert conv is not None
    return [m for m in emu.messages.get(conv.id, []) if m.get("bot_id") == emu.bot_id]


def ephemerals_to(emu: SlackEmulator, user: str) -> list[str]:
    user_id = emu.user_id(user)
    return [e["text"] for e in emu.ephemerals if e["user"] == user_id]


# -- the console's script, played on Slack --------------------------------------------


@dataclass
class ScriptOverSlack:
    """Console lines as Slack deliveries. A click on a button that is gone (a closed poll)
    is sent from the member's stale screen: the message as it was when last seen."""

    run: SlackRun
    seen: dict[str, tuple[str, dict[str, Any], str]] = field(default_factory=dict)

    async def play(self, lines: list[str]) -> None:
        for raw in lines:
            await self.line(raw)

    async def line(self, raw: str) -> None:
        emu, run = self.run.emu, self.run
        match parse_line(raw):
            case Nothing():
                return
            case Join(name, roles):
                # Slack's roles are channels: moderators are in #reviews, staff in #staff.
                channel = "general"
                if Role.MODERATOR in roles:
                    channel = "reviews"
                elif Role.STAFF in roles:
                    channel = "staff"
                await emu.member_join(name, channel, is_admin=Role.ADMIN in roles)
                await run.settle()
            case Leave(name):
                # Slack's way out of a workspace: the account is deactivated.
                user = emu.users[emu.user_id(name)]
                user.deleted = True
                await emu.deliver_event(
                    {"type": "user_change", "user": user.to_api(), "event_ts": ws_ts(emu)}
                )
                await run.settle()
            case Say(name, channel, text):
                where = CONSOLE_CHANNELS.get(channel or "generale", channel or "general")
                if text.strip().startswith("/"):
                    await run.command(name, where, text.strip())
                else:
                    await emu.post_message(emu.user_id(name), where, text)
                    await run.settle()
            case Click(name, label):
                await self.click(name, label)
            case Advance(delta):
                await run.advance(delta)
            case _:
                raise AssertionError(f"not playable on Slack: {raw}")

    async def click(self, name: str, label: str) -> None:
        emu = self.run.emu
        user_id = emu.user_id(name)
        newest: tuple[str, dict[str, Any], str] | None = None
        for conv_id, messages in emu.messages.items():
            if user_id not in emu.channel_members(conv_id):
                continue
            for message in messages:
                action_id = button_ids(message).get(label)
                if action_id and (newest is None or message["ts"] > newest[1]["ts"]):
                    newest = (conv_id, message, action_id)
        if newest is not None:
            self.seen[label] = (newest[0], copy.deepcopy(newest[1]), newest[2])
            await emu.click_button(user_id, (newest[0], newest[1]["ts"]), newest[2])
        else:
            assert label in self.seen, f"no button {label!r} for {name}"
            await self.stale_click(user_id, *self.seen[label])
        await self.run.settle()

    async def stale_click(
        self, user_id: str, conv_id: str, message: dict[str, Any], action_id: str
    ) -> None:
        emu = self.run.emu
        ws = emu.workspace
        payload = block_actions(
            ws,
            ws.users[user_id],
            ws.conversations[conv_id],
            message=message,
            is_ephemeral=False,
            action={
                "action_id": action_id,
                "block_id": "buttons",
                "type": "button",
                "value": action_id,
                "action_ts": f"{time.time():.6f}",
            },
            response_url=f"{emu.base_url}/actions/{ws.team_id}/0/stale",
            trigger_id=ws.new_trigger(user_id),
            verification_token=emu.verification_token,
        )
        await emu.deliver_payload("interactive", payload)


# -- outcomes, comparable between the console and Slack --------------------------------

_WHEN = re.compile(r"\d{1,2} \w+ \d{4}, \d{1,2}:\d{2}")
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>")
_EPHEMERAL = re.compile(r"^\[solo per @([\w.\-]+)\] ?(.*)$")
_ROLE = re.compile(r"^\[ruolo (.+) dato a @([\w.\-]+)\]$")


@dataclass(frozen=True)
class Seen:
    """A message as a member reads it, with times of day left out."""

    where: str
    text: str = ""
    title: str = ""
    body: str = ""
    fields: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    footer: str = ""


def _when(text: str) -> str:
    return _WHEN.sub("<when>", text)


def console_seen(where: str, message: Message) -> Seen:
    card = message.card
    if card is None:
        return Seen(where, _when(message.text))
    return Seen(
        where,
        _when(message.text),
        card.title,
        card.text,
        tuple(f"{item.name}: {item.value}" for item in card.fields),
        tuple(button.label for button in card.buttons if not button.disabled),
        _when(card.footer),
    )


def slack_text(emu: SlackEmulator, text: str) -> str:
    text = _USER.sub(lambda m: "@" + emu.workspace.users[m.group(1)].name, text)
    text = _CHANNEL.sub(lambda m: "#" + emu.workspace.conversations[m.group(1)].name, text)
    return _when(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def slack_seen(emu: SlackEmulator, where: str, message: dict[str, Any]) -> Seen:
    blocks = message.get("blocks") or []
    if not blocks:
        return Seen(where, slack_text(emu, message.get("text", "")))
    texts: dict[str, list[str]] = {"message": [], "text": [], "footer": []}
    title = ""
    for item in blocks:
        kind = block_kind(str(item.get("block_id", ""))).split("-")[0]
        if kind == "title":
            title = item["text"]["text"]
        elif kind in ("message", "text"):
            texts[kind].append(item["text"]["text"])
        elif kind == "footer":
            texts["footer"].append(item["elements"][0]["text"])
    fields = tuple(
        slack_text(emu, re.sub(r"^\*(.*?)\*\n", r"\1: ", text, flags=re.DOTALL))
        for text in field_texts(message)
    )
    return Seen(
        where,
        slack_text(emu, "".join(texts["message"])),
        title,
        slack_text(emu, "".join(texts["text"])),
        fields,
        tuple(button_ids(message)),
        slack_text(emu, "".join(texts["footer"])),
    )


async def console_outcomes(bot: TestBot) -> Outcomes:
    assert bot.app is not None
    async with bot.app.db.session() as session:
        rows = (await session.scalars(select(SentMessage).order_by(SentMessage.id))).all()
    posts: dict[str, list[Seen]] = {}
    for row in rows:
        where = (
            f"dm:{row.channel_id.removeprefix('dm-')}"
            if row.channel_id.startswith("dm-")
            else CONSOLE_CHANNELS.get(row.channel_id, row.channel_id)
        )
        posts.setdefault(where, []).append(console_seen(where, message_from_json(row.content)))
    ephemerals: list[tuple[str, str, str]] = []
    roles: set[tuple[str, str]] = set()
    for entry in bot.output:
        first, *rest = entry.splitlines()
        if match := _EPHEMERAL.match(first):
            title = rest[0].removeprefix("  ┃ ") if rest and rest[0].startswith("  ┃") else ""
            ephemerals.append((match.group(1), _when(match.group(2)), title))
        elif match := _ROLE.match(first):
            roles.add((match.group(2), match.group(1).casefold()))
    return Outcomes(posts, ephemerals, roles)


def slack_outcomes(emu: SlackEmulator, role_channels: tuple[str, ...]) -> Outcomes:
    ws = emu.workspace
    posts: dict[str, list[Seen]] = {}
    for conv_id, messages in emu.messages.items():
        conv = ws.conversations[conv_id]
        where = f"dm:{ws.users[str(conv.im_user)].name}" if conv.is_im else conv.name
        for message in messages:
            if message.get("bot_id") == emu.bot_id:
                posts.setdefault(where, []).append(slack_seen(emu, where, message))
    ephemerals: list[tuple[str, str, str]] = []
    for entry in emu.ephemerals:
        seen = slack_seen(emu, "", entry)
        text = seen.text.splitlines()[0] if seen.text else ""
        ephemerals.append((ws.users[entry["user"]].name, text, seen.title))
    roles = {
        (ws.users[member].name, name)
        for name in role_channels
        for member in emu.channel_members(name)
        if member not in (emu.bot_user_id, emu.admin_user_id)
    }
    return Outcomes(posts, ephemerals, roles)


@dataclass
class Outcomes:
    posts: dict[str, list[Seen]]  # channel name or dm:member -> messages, oldest first
    ephemerals: list[tuple[str, str, str]]  # (member, first line of text, card title)
    roles: set[tuple[str, str]]  # (member, role)
