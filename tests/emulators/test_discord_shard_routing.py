"""The emulator routes the gateway as Discord documents sharding: a client that identifies
with `shard: [id, count]` gets the guilds where `(guild_id >> 22) % count == id` and only
their events; direct messages go to shard 0; an impossible shard is refused."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord

from .discord.constants import CloseCode
from .discord_emulator import DiscordEmulator
from .test_discord_emulator import running_emulator


class ShardClient:
    """A raw discord.py client running some shards, noting what reaches it."""

    def __init__(self, shard_ids: list[int], count: int) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = True
        self.client = discord.AutoShardedClient(
            intents=intents, shard_ids=shard_ids, shard_count=count, guild_ready_timeout=0.1
        )
        self.joined: list[tuple[int, str]] = []  # (guild id, member name)
        self.messages: list[tuple[int | None, str]] = []  # (guild id or None for a DM, text)
        client = self.client

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            """No 5 s pause between IDENTIFYs in a test."""

        client.before_identify_hook = before_identify_hook  # type: ignore[method-assign]

        @client.event
        async def on_member_join(member: discord.Member) -> None:
            self.joined.append((member.guild.id, member.name))

        @client.event
        async def on_message(message: discord.Message) -> None:
            if message.type is not discord.MessageType.default:
                return  # the "X joined" notices the guild posts
            guild = message.guild.id if message.guild is not None else None
            self.messages.append((guild, message.content))


@contextlib.asynccontextmanager
async def running(emu: DiscordEmulator, *clients: ShardClient) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(shard.client.start(emu.token)) for shard in clients]
    try:
        for shard in clients:
            await emu.wait_until(shard.client.is_ready, 10, what="the shards to be ready")
        yield
    finally:
        for shard, task in zip(clients, tasks, strict=True):
            await shard.client.close()
            await asyncio.wait_for(task, 5)


async def test_each_client_hears_only_the_guilds_of_its_shards() -> None:
    async with running_emulator(shard_count=2) as emu:
        first = emu.guild_id
        on_first = (int(first) >> 22) % 2
        second = emu.add_guild("Other", shard=(1 - on_first, 2))
        assert (int(second) >> 22) % 2 == 1 - on_first
        owner = {on_first: int(first), 1 - on_first: int(second)}
        zero, one = ShardClient([0], 2), ShardClient([1], 2)
        async with running(emu, zero, one):
            identified = [frame["d"]["shard"] for frame in emu.gateway_received if frame["op"] == 2]
            assert sorted(identified) == [[0, 2], [1, 2]]
            for shard, client in ((0, zero), (1, one)):
                assert [guild.id for guild in client.client.guilds] == [owner[shard]]

            await emu.member_join("ada", guild_id=first)
            await emu.member_join("bea", guild_id=second)
            ada = await emu.member_join("cy", guild_id=first)
            await emu.post_message(ada, emu.channel_id("general", guild_id=first), "hello")
            await emu.send_dm(ada, "psst")
            await emu.wait_until(
                lambda: (
                    len(zero.joined) + len(one.joined) == 3
                    and len(zero.messages) + len(one.messages) >= 2
                ),
                5,
                what="the events",
            )
            await asyncio.sleep(0.1)  # nothing more is on its way to the wrong shard

            names = {on_first: ["ada", "cy"], 1 - on_first: ["bea"]}
            for shard, client in ((0, zero), (1, one)):
                assert client.joined == [(owner[shard], name) for name in names[shard]]
            guild_messages = {on_first: [(int(first), "hello")], 1 - on_first: []}
            assert zero.messages == [*guild_messages[0], (None, "psst")]
            assert one.messages == guild_messages[1]


async def test_a_shard_beyond_the_count_is_refused() -> None:
    async with (
        DiscordEmulator() as emu,
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{emu.gateway_url}?v=10&encoding=json") as ws,
    ):
        hello = json.loads((await ws.receive()).data)
        assert hello["op"] == 10
        identify: dict[str, Any] = {
            "token": emu.token,
            "intents": 1,
            "properties": {"os": "linux", "browser": "test", "device": "test"},
            "shard": [2, 2],
        }
        await ws.send_str(json.dumps({"op": 2, "d": identify}))
        await ws.receive()
        assert ws.close_code == CloseCode.INVALID_SHARD
