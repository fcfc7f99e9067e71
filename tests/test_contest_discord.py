"""A giveaway over Discord, end to end: the real discord.py against the emulator. Codes
from an attachment, entries with buttons, an ineligible member answered privately, the
draw at the deadline recomputed from the published seed, a code by DM, a winner with
closed DMs told in the channel who claims later."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.storage.models import KnownMember
from tests.adapters.discord_support import (
    DiscordRun,
    bot_messages,
    buttons,
    discord_emulator,
    only_cogs,
    private_answers,
    settle,
)
from tests.contest_helpers import recompute
from tests.emulators.discord_emulator import DiscordEmulator, InteractionRecord

JSON = dict[str, object]


async def command(emu: DiscordEmulator, user: str, sub: str, **options: object) -> list[str]:
    record: InteractionRecord = await emu.slash_command(
        user, "general", "contest", options=options, subcommand=sub
    )
    await emu.wait_for_callback(record)
    await settle(emu)
    return private_answers(emu, record)


async def enter(emu: DiscordEmulator, user: str, card: dict[str, object]) -> list[str]:
    (button,) = [b for b in buttons(card) if b["label"] == "Partecipa"]
    record = await emu.press_button(user, card["id"], button["custom_id"])
    await emu.wait_for_callback(record)
    await settle(emu)
    return private_answers(emu, record)


async def known(run: DiscordRun, count: int) -> None:
    assert run.app is not None
    for _ in range(200):
        async with run.app.db.session() as session:
            if await session.scalar(select(func.count()).select_from(KnownMember)) == count:
                return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{count} members were not recorded")


def content(emu: DiscordEmulator, channel: str) -> list[str]:
    return [str(message.get("content") or "") for message in bot_messages(emu, channel)]


async def test_a_whole_giveaway_over_discord(tmp_path: Path) -> None:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("contests"))
        await run.start()
        try:
            mara = await emu.member_join("mara", roles=["Staff"])
            alice = await emu.member_join("alice")
            bob = await emu.member_join("bob")
            await known(run, 3)  # their joins are recorded before the clock moves on
            await run.advance(timedelta(days=2))
            carla = await emu.member_join("carla")
            await settle(emu)

            said = await command(
                emu, alice, "giveaway", prize="Felpa", winners=2, duration="1d", days=1
            )
            assert said == ["Questa azione è riservata al ruolo staff."]
            await command(emu, mara, "giveaway", prize="Felpa", winners=2, duration="1d", days=1)
            (card,) = [m for m in bot_messages(emu, "general") if buttons(m)]
            embed = card["embeds"][0]  # type: ignore[index]
            assert embed["title"] == "🎁 Felpa"
            promised = re.findall(r"`([0-9a-f]{64})`", str(embed))[0]
            said = await command(
                emu, mara, "codes", id=1, file=("codici.txt", b"FELPA-1\nFELPA-2\n")
            )
            assert said == [
                "Codici salvati per il concorso #1. Nuovi: 2, già presenti: 0, "
                "ancora da assegnare: 2."
            ]

            assert await enter(emu, alice, card) == ["Sei in gara! Buona fortuna 🍀"]
            assert await enter(emu, alice, card) == [
                "Partecipi già a questo giveaway: una partecipazione a testa."
            ]
            refused = await enter(emu, carla, card)
            assert refused[0].startswith("Non puoi ancora partecipare")
            assert "giorni richiesti: 1, i tuoi finora: 0" in refused[0]
            await enter(emu, bob, card)

            emu.close_dms(bob)
            await run.advance(timedelta(days=1))
            texts = content(emu, "general")
            (draw,) = [text for text in texts if text.startswith("🎉 Estrazione")]
            seed, commitment = re.findall(r"Seme: ([0-9a-f]{64}) \(.*: ([0-9a-f]{64})\)", draw)[0]
            assert commitment == promised
            entries = sorted([alice, bob])
            assert ", ".join(entries) in draw  # the canonical list, inline when short
            winners = re.findall(r"<@!?(\d+)>", draw.splitlines()[0])
            assert winners == recompute(seed, entries, [2])[0]

            dm = await emu.wait_for_dm(alice, lambda m: "FELPA-" in str(m.get("content")))
            assert "Hai vinto «Felpa»! Il tuo codice: FELPA-" in str(dm["content"])
            assert any(
                f"<@{bob}>, hai vinto! Non riesco a scriverti in privato" in text for text in texts
            )
            assert not any("FELPA-" in text for text in texts)  # never in the channel

            # bob opens his DMs again (the emulator has no call for it yet).
            emu._state.closed_dms.discard(str(bob))
            said = await command(emu, bob, "claim", id=1)
            assert said == ["Ti ho mandato il codice in privato."]
            dm = await emu.wait_for_dm(bob, lambda m: "FELPA-" in str(m.get("content")))
            codes = {
                re.findall(r"FELPA-\d", str(message["content"]))[0]
                for user in (alice, bob)
                for message in emu.dm_messages_for(user)
                if "FELPA-" in str(message.get("content"))
            }
            assert codes == {"FELPA-1", "FELPA-2"}
        finally:
            await run.stop()
