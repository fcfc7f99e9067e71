"""The states of one message land in the order they were staged, the newest last, and
states staged while an edit is on its way collapse into one edit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.core.cards import Message
from bot.core.clock import SystemClock
from bot.core.model import MessageRef
from bot.core.outbox import Outbox
from bot.core.platforms import Platforms
from bot.storage.database import Database

CARD = MessageRef("console", "console", "generale", "7")
OTHER = MessageRef("console", "console", "generale", "8")


def outbox(tmp_path: Path) -> Outbox:
    return Outbox(Database(f"sqlite+aiosqlite:///{tmp_path / 'o.db'}"), Platforms(), SystemClock())


async def test_a_slow_edit_is_followed_by_the_newest_state_only(tmp_path: Path) -> None:
    box = outbox(tmp_path)
    shown: list[str] = []
    first_on_its_way, let_it_land = asyncio.Event(), asyncio.Event()

    async def slow_send(message: Message) -> None:
        first_on_its_way.set()
        await let_it_land.wait()
        shown.append(message.text or "")

    async def send(message: Message) -> None:
        shown.append(message.text or "")

    box.stage(CARD, Message(text="1 vote"))
    first = asyncio.create_task(box.land(CARD, slow_send))
    await first_on_its_way.wait()
    later = []
    for count in (2, 3, 4):  # three presses while the first card is on its way
        box.stage(CARD, Message(text=f"{count} votes"))
        later.append(asyncio.create_task(box.land(CARD, send)))
    let_it_land.set()
    landed = await asyncio.gather(first, *later)

    assert shown == ["1 vote", "4 votes"]
    assert landed.count(True) == 2
    # Nothing is left waiting: a press on a quiet card sends at once.
    box.stage(CARD, Message(text="5 votes"))
    assert await box.land(CARD, send) and shown[-1] == "5 votes"
    assert not await box.land(CARD, send)  # already shown: nothing to send


async def test_each_message_has_its_own_order(tmp_path: Path) -> None:
    box = outbox(tmp_path)
    shown: list[tuple[str, str]] = []

    def sender(ref: MessageRef) -> Callable[[Message], Awaitable[None]]:
        async def send(message: Message) -> None:
            await asyncio.sleep(0)
            shown.append((ref.message_id, message.text or ""))

        return send

    for ref in (CARD, OTHER):
        box.stage(ref, Message(text=f"{ref.message_id}: first"))
    await asyncio.gather(box.land(CARD, sender(CARD)), box.land(OTHER, sender(OTHER)))
    assert sorted(shown) == [("7", "7: first"), ("8", "8: first")]


async def test_a_failed_edit_leaves_the_state_for_the_next_one(tmp_path: Path) -> None:
    box = outbox(tmp_path)
    shown: list[str] = []

    async def failing(message: Message) -> None:
        raise ConnectionError("the platform is away")

    async def send(message: Message) -> None:
        shown.append(message.text or "")

    box.stage(CARD, Message(text="closed"))
    with pytest.raises(ConnectionError):
        await box.land(CARD, failing)
    assert await box.land(CARD, send)
    assert shown == ["closed"]
