"""A quiz round and a giveaway on Discord, end to end: the real discord.py against the
emulator, with only the cog each needs. What members notice: cards, their edits, private
answers, the leaderboard, the draw and the code in a DM."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.adapters.discord_support import (
    DiscordRun,
    bot_messages,
    buttons,
    discord_emulator,
    only_cogs,
    private_answers,
    settle,
)
from tests.emulators.discord_emulator import DiscordEmulator

JSON = dict[str, Any]
BANK = (
    "::Roma:: In che anno fu fondata Roma? {=753 a.C. ~509 a.C. ~476 d.C.}\n"
    "\n"
    "::Mille:: Chi guidò la spedizione dei Mille? "
    "{=Giuseppe Garibaldi ~Camillo Cavour ~Giuseppe Mazzini}\n"
).encode()
RIGHT = {"In che anno fu fondata Roma?": "753 a.C.", "Chi guidò": "Giuseppe Garibaldi"}


@asynccontextmanager
async def ponte(tmp_path: Path, cog: str) -> AsyncIterator[DiscordRun]:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs(cog))
        await run.start()
        try:
            yield run
        finally:
            await run.stop()


async def command(emu: DiscordEmulator, user: str, head: str, sub: str, **options: Any) -> str:
    """A slash command in #general; what only its author saw, one line per answer."""
    record = await emu.slash_command(user, "general", head, options=options, subcommand=sub)
    await emu.wait_for_callback(record)
    await settle(emu)
    return "\n".join(private_answers(emu, record))


async def press(emu: DiscordEmulator, user: str, message: JSON, label: str) -> str:
    (button,) = [b for b in buttons(message) if b["label"] == label]
    record = await emu.press_button(user, message["id"], button["custom_id"])
    await emu.wait_for_callback(record)
    await settle(emu)
    return "\n".join(private_answers(emu, record))


def titled(emu: DiscordEmulator, title: str) -> list[JSON]:
    """The bot's cards in #general whose title starts so, oldest first."""
    return [
        message
        for message in bot_messages(emu, "general")
        if message.get("embeds") and str(message["embeds"][0].get("title")).startswith(title)
    ]


def right_and_wrong(card: JSON) -> tuple[str, str]:
    """The labels of the right answer and of a wrong one, whatever order the round drew."""
    text = str(card["embeds"][0]["description"])
    right = next(answer for start, answer in RIGHT.items() if text.startswith(start))
    labels = [b["label"] for b in buttons(card) if b["label"] != "Ferma il quiz"]
    return right, next(label for label in labels if label != right)


def fields(message: JSON) -> dict[str, str]:
    return {item["name"]: item["value"] for item in message["embeds"][0].get("fields", [])}


async def test_a_whole_quiz_round_over_discord(tmp_path: Path) -> None:
    async with ponte(tmp_path, "quizzes") as run:
        emu = run.emu
        sara = emu.add_user("sara", roles=["Staff"], global_name="Sara")
        alice = emu.add_user("alice", global_name="Alice")
        bob = emu.add_user("bob", global_name="Bob")

        said = await command(emu, sara, "quiz", "import", name="storia", file=("s.gift", BANK))
        assert said.startswith("Banca «storia» importata")
        said = await command(emu, sara, "quiz", "start", bank="storia", questions=2, seconds=20)
        assert said == "Quiz #1 avviato."
        assert any(
            str(m.get("content")).startswith("🎬 Comincia il quiz «storia»: 2 domande, 20 secondi")
            for m in bot_messages(emu, "general")
        )

        (first,) = titled(emu, "❓ Domanda 1 di 2")
        right, wrong = right_and_wrong(first)
        recorded = await press(emu, alice, first, right)
        assert recorded.startswith(f"Risposta registrata: «{right}»")
        assert await press(emu, bob, first, wrong) == (
            f"Risposta registrata: «{wrong}». La soluzione allo scadere del tempo."
        )
        assert await press(emu, alice, first, wrong) == (
            "Hai già risposto a questa domanda: vale la prima risposta."
        )

        await run.advance(timedelta(seconds=21))
        revealed = emu.get_message(first["id"])
        assert revealed["edited_timestamp"] is not None
        assert f"✅ Risposta giusta: {right}" in revealed["embeds"][0]["description"]
        shown = fields(revealed)
        assert shown[f"✅ {right}"].split(" · ")[0].endswith("scelta da 1")
        assert shown[f"▫️ {wrong}"].split(" · ")[0].endswith("scelta da 1")
        assert revealed["embeds"][0]["footer"]["text"] == "Risposte: 2"
        assert all(b.get("disabled") for b in buttons(revealed))
        (after,) = titled(emu, "📈 Classifica dopo la domanda 1 di 2")
        assert after["embeds"][0]["description"].startswith("🥇 Alice — ")

        # bob thinks for half the question's time: a right answer then scores about 750.
        (second,) = titled(emu, "❓ Domanda 2 di 2")
        right, wrong = right_and_wrong(second)
        await press(emu, alice, second, wrong)
        await run.advance(timedelta(seconds=10))
        await press(emu, bob, second, right)
        await run.advance(timedelta(seconds=11))

        revealed = emu.get_message(second["id"])
        assert f"✅ Risposta giusta: {right}" in revealed["embeds"][0]["description"]
        assert revealed["embeds"][0]["footer"]["text"] == "Risposte: 2"
        (final,) = titled(emu, "🏁 Quiz «storia» finito: classifica finale")
        winner, gold, silver = final["embeds"][0]["description"].splitlines()
        assert winner == "Vince Alice! 🎉"
        alice_points = int(re.findall(r"^🥇 Alice — (\d+) punti \(1/2 giuste", gold)[0])
        bob_points = int(re.findall(r"^🥈 Bob — (\d+) punti \(1/2 giuste", silver)[0])
        # Margins for a busy machine: the clock is real time plus what the test advanced.
        assert 750 < alice_points <= 1000
        assert 500 < bob_points <= 750


# -- a giveaway -------------------------------------------------------------------------


def draw_again(seed: str, entries: list[str], prizes: int) -> list[str]:
    """The README's draw, done again here from what was published: sorted ids, then
    SHA-256("<seed>:<i>") as a big-endian number, rejection above the last whole multiple
    of the entries left, the remainder's entry wins and leaves the list."""
    left = sorted(entries)
    won: list[str] = []
    counter = 0
    while len(won) < prizes and left:
        h = int.from_bytes(hashlib.sha256(f"{seed}:{counter}".encode("ascii")).digest(), "big")
        counter += 1
        if h >= 2**256 - (2**256 % len(left)):
            continue
        won.append(left.pop(h % len(left)))
    return won


async def test_a_whole_giveaway_over_discord(tmp_path: Path) -> None:
    async with ponte(tmp_path, "contests") as run:
        emu = run.emu
        mara = emu.add_user("mara", roles=["Staff"])
        members = [emu.add_user(name) for name in ("alice", "bob", "carla", "dario", "elena")]

        await command(
            emu, mara, "contest", "giveaway", prize="Buono da 50 €", winners=1, duration="1h"
        )
        (card,) = titled(emu, "🎁 Buono da 50 €")
        promised = re.findall(r"`([0-9a-f]{64})`", str(card["embeds"][0]))[0]
        assert [b["label"] for b in buttons(card)] == ["Partecipa"]

        for member in members:
            assert await press(emu, member, card, "Partecipa") == "Sei in gara! Buona fortuna 🍀"
        assert await press(emu, members[0], card, "Partecipa") == (
            "Partecipi già a questo giveaway: una partecipazione a testa."
        )
        codes = ("BUONO-AAAA", "BUONO-BBBB")
        said = await command(
            emu, mara, "contest", "codes", id=1, file=("codici.txt", "\n".join(codes).encode())
        )
        assert said == (
            "Codici salvati per il concorso #1. Nuovi: 2, già presenti: 0, ancora da assegnare: 2."
        )
        assert not any(c in str(m) for c in codes for m in emu.messages[emu.channel_id("general")])

        await run.advance(timedelta(hours=1, seconds=1))
        (draw,) = [
            m for m in bot_messages(emu, "general") if str(m["content"]).startswith("🎉 Estrazione")
        ]
        text = str(draw["content"])
        seed, commitment = re.findall(r"Seme: ([0-9a-f]{64}) \(.*: ([0-9a-f]{64})\)", text)[0]
        assert commitment == promised == hashlib.sha256(seed.encode("ascii")).hexdigest()
        entries = sorted(members)
        assert ", ".join(entries) in text
        (winner,) = re.findall(r"<@!?(\d+)>", text.splitlines()[0])
        assert [winner] == draw_again(seed, entries, 1)

        closed = emu.get_message(card["id"])
        shown = fields(closed)
        assert shown["Seme rivelato"] == f"`{seed}`"
        assert winner in shown["Vincitori"]
        assert all(b.get("disabled") for b in buttons(closed))

        dm = await emu.wait_for_dm(winner, lambda m: "BUONO-" in str(m.get("content")))
        assert "Hai vinto «Buono da 50 €»! Il tuo codice: BUONO-" in str(dm["content"])
        for loser in set(members) - {winner}:
            assert not any("BUONO-" in str(m.get("content")) for m in emu.dm_messages_for(loser))
        assert not any(c in str(m) for c in codes for m in emu.messages[emu.channel_id("general")])
