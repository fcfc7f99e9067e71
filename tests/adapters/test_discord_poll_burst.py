"""A popular poll on the Discord emulator: 200 members press its buttons at once, and a
card edited in a burst; what members see is the true final state, and every press is
answered within Discord's three seconds."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.cards import Card, Message
from bot.core.model import Community, MessageRef
from tests.adapters.discord_support import (
    DiscordRun,
    counts,
    discord_emulator,
    private_answers,
    settle,
)
from tests.emulators.discord_emulator import DiscordEmulator

VOTERS = 200
POLL = {"question": "Pizza o pasta?", "option1": "Pizza", "option2": "Pasta"}


@pytest.fixture
async def discord_emu() -> AsyncIterator[DiscordEmulator]:
    async with discord_emulator() as emulator:
        yield emulator


@pytest.fixture
async def ponte(discord_emu: DiscordEmulator, tmp_path: Path) -> AsyncIterator[DiscordRun]:
    run = DiscordRun(discord_emu, f"sqlite+aiosqlite:///{tmp_path / 'burst.db'}")
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


async def test_two_hundred_members_voting_at_once_are_each_counted_once(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    alice = emu.add_user("alice")
    voters = [emu.add_user(f"member{number}") for number in range(VOTERS)]
    record = await emu.slash_command(alice, "general", "poll", subcommand="create", options=POLL)
    await emu.wait_for_callback(record)
    message_id = record.response_message_id
    assert message_id is not None
    # Every third member wants pasta; the first twenty double-click.
    choice = {voter: 1 if number % 3 == 0 else 0 for number, voter in enumerate(voters)}
    presses = [*voters, *voters[:20]]
    records = await asyncio.gather(
        *(emu.press_button(voter, message_id, f"polls:vote:1:{choice[voter]}") for voter in presses)
    )
    callbacks = await asyncio.gather(*(emu.wait_for_callback(pressed) for pressed in records))
    await settle(emu)

    assert len(callbacks) == len(presses)  # each press acknowledged within the deadline
    pasta = sum(choice.values())
    assert counts(emu.get_message(message_id)) == [VOTERS - pasta, pasta]
    answers = [private_answers(emu, pressed) for pressed in records]
    assert all(len(answer) == 1 for answer in answers)
    said = [answer[0] for answer in answers]
    assert sum(text.startswith("Voto registrato") for text in said) == VOTERS
    assert sum(text.startswith("Hai già votato") for text in said) == 20
    footer = emu.get_message(message_id)["embeds"][0]["footer"]["text"]
    assert f"votanti: {VOTERS}" in footer


async def test_a_burst_of_edits_to_one_card_is_coalesced_and_the_last_one_shows(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    assert ponte.app is not None
    outbox = ponte.app.services.outbox
    guild = Community("discord", emu.guild_id, "Ponte Test Guild")
    sent = await outbox.send(guild, emu.channel_id("general"), Message(card=Card(title="state 0")))
    edits_before = len(_edits(emu, sent))
    await asyncio.gather(
        *(outbox.edit(sent, Message(card=Card(title=f"state {n}"))) for n in range(1, 51))
    )
    await settle(emu)

    shown = emu.get_message(sent.message_id)["embeds"][0]["title"]
    assert shown == "state 50"
    made = len(_edits(emu, sent)) - edits_before
    assert 1 <= made <= 3


def _edits(emu: DiscordEmulator, ref: MessageRef) -> list[object]:
    return emu.calls_matching(
        "PATCH", rf"/channels/{ref.channel_id}/messages/{re.escape(ref.message_id)}"
    )
