"""Runs console lines, from a script file or typed at a prompt, against the core."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Iterable

from bot.adapters.console.platform import COMMUNITY_ID, ConsoleInteraction, ConsolePlatform
from bot.adapters.console.script import (
    Act,
    Advance,
    Click,
    Delete,
    Edit,
    Fill,
    Join,
    Leave,
    Line,
    Nothing,
    Reply,
    Say,
    Unknown,
    parse_line,
)
from bot.core.arguments import named_values
from bot.core.errors import ArgumentError
from bot.core.events import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    MemberJoined,
    MemberLeft,
    MessageActionInvoked,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
)
from bot.core.model import Member, MessageRef, PostedMessage
from bot.core.platform import EventSink
from bot.core.scheduler import Scheduler
from bot.storage.database import unavailable
from bot.storage.models import ConsolePost

log = logging.getLogger(__name__)


class ConsoleRunner:
    def __init__(self, platform: ConsolePlatform, sink: EventSink, scheduler: Scheduler) -> None:
        self.platform = platform
        self.sink = sink
        self.scheduler = scheduler

    async def run_lines(self, lines: Iterable[str], stop: asyncio.Event | None = None) -> None:
        for number, raw in enumerate(lines, start=1):
            if stop is not None and stop.is_set():
                return
            await self.run_line(raw, number)

    async def run_line(self, raw: str, number: int = 0) -> None:
        line = parse_line(raw)
        try:
            await self._run(line, number)
        except Exception as error:
            # The console keeps its members and channels in the database too: while it is
            # away the line cannot even be read, so the person typing is told to type it
            # again, and the prompt stays.
            if not unavailable(error):
                raise
            log.warning("database unavailable, console line not run", extra={"line": number})
            self.platform.write(f"? {self.platform.t('errors.database_unavailable')}")

    async def _run(self, line: Line, number: int) -> None:
        platform = self.platform
        match line:
            case Nothing():
                return
            case Unknown(text, reason):
                platform.write(f"? {platform.t(reason, line=number, text=text[:80])}")
            case Join(name, roles):
                member = await platform.add_member(name, roles)
                await self.sink.member_joined(MemberJoined(platform.community, member))
            case Leave(name):
                leaving = await platform.get_member(name)
                if leaving is None:
                    platform.write(f"? {platform.t('console.no_such_member', member=name)}")
                    return
                await platform.remove_member(name)
                await self.sink.member_left(MemberLeft(platform.community, leaving))
            case Say(name, channel_name, text):
                await self._say(name, channel_name, text)
            case Click(name, label):
                await self._click(name, label)
            case Fill(name, text):
                await self._fill(name, text)
            case Reply(name, target, text):
                await self._reply(name, target, text)
            case Edit(name, target, text):
                await self._edit(name, target, text)
            case Delete(name, target):
                await self._delete(name, target)
            case Act(name, action, target, argument):
                await self._act(name, action, target, argument, number)
            case Advance(delta):
                await self.scheduler.advance(delta)
                await platform.save_clock()
                moment = platform.translator.datetime(platform.language, platform.clock.now())
                platform.write(f"⏱ {platform.t('console.time_now', when=moment)}")

    async def _say(self, name: str, channel_name: str | None, text: str) -> None:
        platform = self.platform
        member = await platform.get_member(name)
        if member is None:
            platform.write(f"? {platform.t('console.no_such_member', member=name)}")
            return
        channel = await platform.ensure_channel(channel_name or platform.default_channel_name)
        stripped = text.strip()
        if stripped.startswith("/") and len(stripped) > 1:
            command, _, rest = stripped[1:].partition(" ")
            interaction = ConsoleInteraction(platform, channel, member)
            await self.sink.command_invoked(
                CommandInvoked(platform.community, channel, member, command, interaction, text=rest)
            )
            return
        await self._post(member, channel.id, text)

    async def _post(
        self, member: Member, channel_id: str, text: str, answers: str | None = None
    ) -> None:
        platform = self.platform
        channel = await platform.ensure_channel(channel_id)
        message_id = await platform.next_message_id()
        await platform.posts.remember(message_id, channel.id, member.id, text, answers)
        ref = MessageRef(platform.name, COMMUNITY_ID, channel.id, message_id)
        await self.sink.message_posted(
            MessagePosted(
                platform.community, channel, member, text, ref, thread_of=answers, reply_to=answers
            )
        )

    async def _member_and_post(self, name: str, target: str) -> tuple[Member, ConsolePost] | None:
        platform = self.platform
        member = await platform.get_member(name)
        if member is None:
            platform.write(f"? {platform.t('console.no_such_member', member=name)}")
            return None
        post = await platform.posts.find(target)
        if post is None:
            platform.write(f"? {platform.t('console.no_such_message', message=target)}")
            return None
        return member, post

    async def _reply(self, name: str, target: str, text: str) -> None:
        found = await self._member_and_post(name, target)
        if found is not None:
            member, post = found
            await self._post(member, post.channel_id, text, post.thread_of or post.message_id)

    async def _own_post(self, name: str, target: str) -> tuple[Member, ConsolePost] | None:
        found = await self._member_and_post(name, target)
        if found is not None and found[1].author_id != found[0].id:
            self.platform.write(f"? {self.platform.t('console.not_your_message')}")
            return None
        return found

    async def _edit(self, name: str, target: str, text: str) -> None:
        found = await self._own_post(name, target)
        if found is None:
            return
        member, post = found
        platform = self.platform
        await platform.posts.change(post.message_id, text=text)
        channel = await platform.ensure_channel(post.channel_id)
        ref = MessageRef(platform.name, COMMUNITY_ID, channel.id, post.message_id)
        await self.sink.message_edited(
            MessageEdited(platform.community, channel, member, text, ref, post.thread_of)
        )

    async def _delete(self, name: str, target: str) -> None:
        found = await self._own_post(name, target)
        if found is None:
            return
        platform = self.platform
        post = found[1]
        await platform.posts.change(post.message_id, deleted=True)
        platform.write(f"[#{post.channel_id}] {platform.t('console.deleted', id=post.message_id)}")
        channel = await platform.ensure_channel(post.channel_id)
        ref = MessageRef(platform.name, COMMUNITY_ID, channel.id, post.message_id)
        await self.sink.message_deleted(MessageDeleted(platform.community, channel, ref))

    async def _act(self, name: str, action: str, target: str, argument: str, number: int) -> None:
        platform = self.platform
        if action not in {declared.name for declared in self.sink.message_actions}:
            text = f"@{name} {action} {target} {argument}".strip()
            platform.write(f"? {platform.t('console.unknown_line', line=number, text=text[:80])}")
            return
        found = await self._member_and_post(name, target)
        if found is None:
            return
        member, post = found
        author = await platform.get_member(post.author_id) or platform.former_member(post.author_id)
        channel = await platform.ensure_channel(post.channel_id)
        ref = MessageRef(platform.name, COMMUNITY_ID, channel.id, post.message_id)
        interaction = ConsoleInteraction(platform, channel, member)
        await self.sink.message_action(
            MessageActionInvoked(
                platform.community,
                channel,
                member,
                action,
                PostedMessage(ref, author, post.text),
                interaction,
                argument,
            )
        )

    async def _click(self, name: str, label: str) -> None:
        platform = self.platform
        member = await platform.get_member(name)
        if member is None:
            platform.write(f"? {platform.t('console.no_such_member', member=name)}")
            return
        found = await platform.find_button(member.id, label)
        if found is None:
            platform.write(f"? {platform.t('console.no_such_button', label=label)}")
            return
        ref, custom_id = found
        channel = await platform.ensure_channel(ref.channel_id)
        interaction = ConsoleInteraction(platform, channel, member, ref)
        await self.sink.button_pressed(
            ButtonPressed(platform.community, channel, member, custom_id, interaction, ref)
        )

    async def _fill(self, name: str, text: str) -> None:
        platform = self.platform
        member = await platform.get_member(name)
        form = platform.open_forms.pop(name, None)
        if member is None or form is None:
            platform.write(f"? {platform.t('console.no_form', member=name)}")
            return
        try:
            typed = named_values(text)
        except ArgumentError as error:
            platform.write(f"? {platform.t(error.key, **error.params)}")
            return
        # A console line is one line: `\n` inside a value stands for a new line of the form.
        values = {name: value.replace("\\n", "\n") for name, value in typed.items()}
        channel = await platform.ensure_channel(platform.default_channel_name)
        interaction = ConsoleInteraction(platform, channel, member)
        await self.sink.form_submitted(
            FormSubmitted(platform.community, channel, member, form.custom_id, values, interaction)
        )

    async def interactive(self, stop: asyncio.Event) -> None:
        """A prompt: the user types console lines until end of input or `quit`."""
        platform = self.platform
        platform.write(platform.t("console.banner"))
        lines = _stdin_lines()
        number = 0
        while True:
            sys.stdout.write("> ")
            sys.stdout.flush()
            raw = await _next_line(lines, stop)
            if raw is None:
                break
            number += 1
            if raw.strip().lower() in {"quit", "exit", "esci"}:
                break
            await self.run_line(raw, number)


async def _next_line(lines: asyncio.Queue[str | None], stop: asyncio.Event) -> str | None:
    """The next typed line, or None at end of input or when a signal asks to stop."""
    getting = asyncio.ensure_future(lines.get())
    stopping = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({getting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    for waiter in (getting, stopping):
        if waiter not in done:
            waiter.cancel()
    return getting.result() if getting in done and not stop.is_set() else None


def _stdin_lines() -> asyncio.Queue[str | None]:
    """Lines typed at the terminal. A daemon thread reads them, so that a signal can stop
    the bot while it waits for input (a worker thread blocked on stdin would hold it)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return queue
