"""The slash and message commands after a restart: Discord lists them without the
localizations equal to their default, and Ponte takes that listing for the same commands
(a rewrite at every start would hit Discord's limit on command writes and make the
commands flicker in members' clients while the new ones propagate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.discord_support import DiscordRun, discord_emulator

PUT = r"/applications/\d+(/guilds/\d+)?/commands"


@pytest.mark.parametrize("scope", ["global", "development guild"])
async def test_a_restart_with_the_same_commands_writes_nothing(scope: str, tmp_path: Path) -> None:
    async with discord_emulator() as emu:
        guild = emu.guild_id if scope == "development guild" else None
        overrides = {"discord_dev_guild": guild} if guild else {}
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", overrides)
        await run.start()
        try:
            registered = {c["name"]: c for c in emu.registered_commands(guild)}
            poll = registered["poll"]
            # The Italian description is kept; the English ones, equal to the default, not.
            assert poll["description"] == "Polls"
            assert poll["description_localizations"] == {"it": "Sondaggi"}
            report = registered["Segnala ai moderatori"]  # Italian: the community's language
            assert "it" not in report["name_localizations"]
            await run.restart()
            assert run.platform is not None and run.platform.commands_synced is False
            assert len(emu.calls_matching("PUT", PUT)) == 1
        finally:
            await run.stop()
