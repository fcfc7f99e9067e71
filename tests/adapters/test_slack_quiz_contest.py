"""A quiz round and a giveaway on Slack, end to end: slack-bolt against the emulator in
Socket Mode, with only the cog each needs. Staff are the members of #staff. What members
notice: cards, their edits, ephemeral answers, the leaderboard, the draw and the code in a
DM."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.adapters.discord_support import only_cogs
from tests.adapters.slack_support import (
    Seen,
    SlackRun,
    bot_posts,
    button_ids,
    ephemerals_to,
    new_emulator,
    slack_seen,
)
from tests.emulators.slack import SlackEmulator, share_file

JSON = dict[str, Any]
BANK = (
    "::Roma:: In che anno fu fondata Roma? {=753 a.C. ~509 a.C. ~476 d.C.}\n"
    "\n"
    "::Mille:: Chi guidò la spedizione dei Mille? "
    "{=Giuseppe Garibaldi ~Camillo Cavour ~Giuseppe Mazzini}\n"
).encode()
RIGHT = {"In che anno fu fondata Roma?": "753 a.C.", "Chi guidò": "Giuseppe Garibaldi"}


@asynccontextmanager
async def ponte(tmp_path: Path, cog: str) -> AsyncIterator[SlackRun]:
    emu = new_emulator()
    await emu.start()
    run = SlackRun(emu, "socket", f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    run.overrides.update(only_cogs(cog))
    try:
        await run.start()
        yield run
    finally:
        await run.stop()
        await emu.stop()


def seen(emu: SlackEmulator, message: JSON) -> Seen:
    return slack_seen(emu, "general", message)


def titled(emu: SlackEmulator, title: str) -> list[JSON]:
    """The bot's cards in #general whose title starts so, oldest first."""
    return [m for m in bot_posts(emu, "general") if seen(emu, m).title.startswith(title)]


def now(emu: SlackEmulator, message: JSON) -> JSON:
    """The message as members see it now (after any edit)."""
    found = emu.message("general", str(message["ts"]))
    assert found is not None
    return found


def right_and_wrong(emu: SlackEmulator, card: JSON) -> tuple[str, str]:
    """The labels of the right answer and of a wrong one, whatever order the round drew."""
    text = seen(emu, card).body
    right = next(answer for start, answer in RIGHT.items() if text.startswith(start))
    labels = [label for label in button_ids(card) if label != "Ferma il quiz"]
    return right, next(label for label in labels if label != right)


def field(emu: SlackEmulator, message: JSON, name: str) -> str:
    (value,) = [f for f in seen(emu, message).fields if f.startswith(f"{name}: ")]
    return value.removeprefix(f"{name}: ")


async def test_a_whole_quiz_round_over_slack(tmp_path: Path) -> None:
    async with ponte(tmp_path, "quizzes") as run:
        emu = run.emu
        sara = emu.add_user("sara", channels=["staff"])
        emu.add_user("alice")
        emu.add_user("bob")
        file_id = await share_file(emu, sara, "staff", "storia.gift", BANK)
        await run.settle()

        await run.command("sara", "staff", f"/quiz import name:storia file:{file_id}")
        assert ephemerals_to(emu, "sara")[-1].startswith("Banca «storia» importata")
        await run.command("sara", "general", "/quiz start bank:storia questions:2 seconds:20")
        assert ephemerals_to(emu, "sara")[-1] == "Quiz #1 avviato."
        assert any(
            seen(emu, m).text.startswith("🎬 Comincia il quiz «storia»: 2 domande, 20 secondi")
            for m in bot_posts(emu, "general")
        )

        (first,) = titled(emu, "❓ Domanda 1 di 2")
        ts = str(first["ts"])
        right, wrong = right_and_wrong(emu, first)
        await run.click("alice", "general", ts, right)
        await run.click("bob", "general", ts, wrong)
        await run.click("alice", "general", ts, wrong)
        assert ephemerals_to(emu, "alice") == [
            f"Risposta registrata: «{right}». La soluzione allo scadere del tempo.",
            "Hai già risposto a questa domanda: vale la prima risposta.",
        ]
        assert ephemerals_to(emu, "bob") == [
            f"Risposta registrata: «{wrong}». La soluzione allo scadere del tempo."
        ]

        await run.advance(timedelta(seconds=21))
        revealed = now(emu, first)
        shown = seen(emu, revealed)
        assert f"✅ Risposta giusta: {right}" in shown.body
        assert field(emu, revealed, f"✅ {right}").split(" · ")[0].endswith("scelta da 1")
        assert field(emu, revealed, f"▫️ {wrong}").split(" · ")[0].endswith("scelta da 1")
        assert shown.footer == "Risposte: 2"
        assert shown.buttons == ()  # Slack has no disabled buttons: they are gone
        assert len(titled(emu, "❓ Domanda 1 di 2")) == 1  # edited, not posted again
        (after,) = titled(emu, "📈 Classifica dopo la domanda 1 di 2")
        assert seen(emu, after).body.startswith("🥇 alice — ")

        # bob thinks for half the question's time: a right answer then scores about 750.
        (second,) = titled(emu, "❓ Domanda 2 di 2")
        ts = str(second["ts"])
        right, wrong = right_and_wrong(emu, second)
        await run.click("alice", "general", ts, wrong)
        await run.advance(timedelta(seconds=10))
        await run.click("bob", "general", ts, right)
        await run.advance(timedelta(seconds=11))

        assert f"✅ Risposta giusta: {right}" in seen(emu, now(emu, second)).body
        (final,) = titled(emu, "🏁 Quiz «storia» finito: classifica finale")
        winner, gold, silver = seen(emu, final).body.splitlines()
        assert winner == "Vince alice! 🎉"
        alice_points = int(re.findall(r"^🥇 alice — (\d+) punti \(1/2 giuste", gold)[0])
        bob_points = int(re.findall(r"^🥈 bob — (\d+) punti \(1/2 giuste", silver)[0])
        # Margins for a busy machine: the clock is real time plus what the test advanced.
        assert 750 < alice_points <= 1000
        assert 500 < bob_points <= 750
        assert emu.problems == []


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


async def test_a_whole_giveaway_over_slack(tmp_path: Path) -> None:
    async with ponte(tmp_path, "contests") as run:
        emu = run.emu
        mara = emu.add_user("mara", channels=["staff"])
        names = ("alice", "bob", "carla", "dario", "elena")
        members = [emu.add_user(name) for name in names]

        await run.command(
            "mara", "general", '/contest giveaway prize:"Buono da 50 €" winners:1 duration:1h'
        )
        (card,) = titled(emu, "🎁 Buono da 50 €")
        ts = str(card["ts"])
        promised = re.findall(r"`([0-9a-f]{64})`", str(card["blocks"]))[0]
        assert list(button_ids(card)) == ["Partecipa"]

        for name in names:
            await run.click(name, "general", ts, "Partecipa")
            assert ephemerals_to(emu, name) == ["Sei in gara! Buona fortuna 🍀"]
        await run.click("alice", "general", ts, "Partecipa")
        assert ephemerals_to(emu, "alice")[-1] == (
            "Partecipi già a questo giveaway: una partecipazione a testa."
        )
        codes = ("BUONO-AAAA", "BUONO-BBBB")
        file_id = await share_file(emu, mara, "staff", "codici.txt", "\n".join(codes).encode())
        await run.settle()
        await run.command("mara", "staff", f"/contest codes id:1 file:{file_id}")
        assert ephemerals_to(emu, "mara")[-1] == (
            "Codici salvati per il concorso #1. Nuovi: 2, già presenti: 0, ancora da assegnare: 2."
        )

        await run.advance(timedelta(hours=1, seconds=1))
        posts = bot_posts(emu, "general")
        (draw,) = [p for p in posts if str(p.get("text", "")).startswith("🎉 Estrazione")]
        text = str(draw["text"])
        seed, commitment = re.findall(r"Seme: ([0-9a-f]{64}) \(.*: ([0-9a-f]{64})\)", text)[0]
        assert commitment == promised == hashlib.sha256(seed.encode("ascii")).hexdigest()
        (upload,) = [p for p in posts if p.get("files") and float(p["ts"]) > float(draw["ts"])]
        (shared,) = upload["files"]
        assert shared["name"] == "contest-1-entries.txt"
        entries = emu.files[shared["id"]].data.decode().split()  # type: ignore[union-attr]
        assert entries == sorted(members)
        (winner,) = re.findall(r"<@(U\w+)>", text.splitlines()[0])
        assert [winner] == draw_again(seed, entries, 1)

        closed = now(emu, card)
        assert field(emu, closed, "Seme rivelato") == f"`{seed}`"
        assert emu.users[winner].name in field(emu, closed, "Vincitori")
        assert button_ids(closed) == {}

        (dm,) = [m for m in emu.dms_to(winner) if "BUONO-" in str(m.get("text"))]
        assert "Hai vinto «Buono da 50 €»! Il tuo codice: BUONO-" in str(dm["text"])
        for loser in set(members) - {winner}:
            assert not any("BUONO-" in str(m.get("text")) for m in emu.dms_to(loser))
        everything = str([bot_posts(emu, "general"), emu.ephemerals])
        assert not any(code in everything for code in codes)
        assert emu.problems == []
