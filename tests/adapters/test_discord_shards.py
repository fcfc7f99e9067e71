"""One sharded bot split across two Ponte processes on one database: each identifies with
its own shard of DISCORD_SHARD_COUNT and hears only its own guilds, as Discord routes them
((guild_id >> 22) % shard_count); every member is greeted once, by the process that owns
their guild."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from bot.adapters.discord.client import shard_plan
from bot.config import Settings
from tests.adapters.discord_support import DiscordRun, discord_emulator, settle
from tests.emulators.discord_emulator import DiscordEmulator


def greetings(emu: DiscordEmulator, guild_id: str) -> list[str]:
    channel = emu.channel_id("general", guild_id=guild_id)
    return [
        message["content"]
        for message in emu.messages[channel]
        if message["author"]["id"] == emu.bot_user_id
    ]


def guilds_heard(emu: DiscordEmulator, shard: tuple[int, int], event: str) -> set[str]:
    return {
        str(dispatch.payload["guild_id"])
        for dispatch in emu.dispatches_by_shard().get(shard, [])
        if dispatch.event == event
    }


async def test_two_processes_each_run_their_own_shards(tmp_path: Path) -> None:
    async with discord_emulator(shard_count=2) as emu:
        first_guild = emu.guild_id
        shard_of_first = (int(first_guild) >> 22) % 2
        second_guild = emu.add_guild("Seconda Comunità", shard=(1 - shard_of_first, 2))
        owner = {shard_of_first: first_guild, 1 - shard_of_first: second_guild}
        url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
        runs = {
            shard: DiscordRun(emu, url, {"discord_shard_ids": str(shard), "discord_shard_count": 2})
            for shard in (0, 1)
        }
        for run in runs.values():
            await run.start()
        try:
            assert sorted(emu.dispatches_by_shard()) == [(0, 2), (1, 2)]
            for shard, run in runs.items():
                assert run.platform is not None
                client = run.platform.client
                assert isinstance(client, discord.AutoShardedClient)
                assert client.shard_ids == [shard] and client.shard_count == 2
                assert [str(guild.id) for guild in client.guilds] == [owner[shard]]

            alice = await emu.member_join("alice", guild_id=first_guild)
            bruno = await emu.member_join("bruno", guild_id=second_guild)
            await emu.wait_for_dm(alice)
            await emu.wait_for_dm(bruno)
            await settle(emu)

            for shard in (0, 1):
                assert guilds_heard(emu, (shard, 2), "GUILD_MEMBER_ADD") == {owner[shard]}
            # Greeted once each, in their own guild: no process answered for the other.
            first, second = greetings(emu, first_guild), greetings(emu, second_guild)
            assert len(first) == 1 and f"<@{alice}>" in first[0]
            assert len(second) == 1 and f"<@{bruno}>" in second[0]
            assert len(emu.dm_messages_for(alice)) == len(emu.dm_messages_for(bruno)) == 1
        finally:
            for run in runs.values():
                await run.stop()


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type, call-arg]


def test_shard_settings_are_checked_and_planned() -> None:
    assert shard_plan(_settings()) == (False, None, None)
    assert shard_plan(_settings(discord_shards="auto")) == (True, None, None)
    assert shard_plan(_settings(discord_shard_count="4")) == (True, 4, None)
    split = _settings(discord_shard_ids=" 3, 2 ", discord_shard_count="4")
    assert split.discord_shard_ids == "2,3" and shard_plan(split) == (True, 4, [2, 3])
    for wrong, says in (
        ({"discord_shard_ids": "0,1"}, "DISCORD_SHARD_COUNT"),
        ({"discord_shard_ids": "0,4", "discord_shard_count": 4}, "below"),
        ({"discord_shard_ids": "zero"}, "DISCORD_SHARD_IDS"),
        ({"discord_shards": "2", "discord_shard_count": 4}, "disagree"),
        ({"discord_shard_count": 0}, "at least 1"),
    ):
        with pytest.raises(ValueError, match=says):
            _settings(**wrong)
