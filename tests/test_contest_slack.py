"""A giveaway over Slack, end to end: slack-bolt against the emulator in Socket Mode.
Codes from a shared file, entries with the button, a member short of messages answered
privately, the draw recomputed from the published seed and entries file, codes by DM."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.adapters.discord_support import only_cogs
from tests.adapters.slack_support import (
    SlackRun,
    bot_posts,
    button_ids,
    ephemerals_to,
    new_emulator,
)
from tests.contest_helpers import recompute
from tests.emulators.slack import SlackEmulator, share_file


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackRun]:
    emu = new_emulator()
    await emu.start()
    run = SlackRun(emu, "socket", f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    run.overrides.update(only_cogs("contests"))
    await run.start()
    try:
        yield run
    finally:
        await run.stop()
        await emu.stop()


def card(emu: SlackEmulator) -> dict[str, object]:
    (found,) = [m for m in bot_posts(emu, "general") if button_ids(m)]
    return found


async def test_a_whole_giveaway_over_slack(slack: SlackRun) -> None:
    emu = slack.emu
    mara = await emu.member_join("mara", "staff")
    alice, bob = await emu.member_join("alice"), await emu.member_join("bob")
    await emu.post_message(alice, "general", "ciao a tutti")
    await slack.settle()

    await slack.command("alice", "general", '/contest giveaway prize:"Tazza" duration:1d')
    assert ephemerals_to(emu, "alice") == ["Questa azione è riservata al ruolo staff."]
    await slack.command(
        "mara", "general", '/contest giveaway prize:"Tazza" winners:2 duration:1d messages:1'
    )
    giveaway = card(emu)
    promised = re.findall(r"`([0-9a-f]{64})`", str(giveaway["blocks"]))[0]
    file_id = await share_file(emu, mara, "staff", "codici.txt", b"TAZZA-1\nTAZZA-2\n")
    await slack.settle()
    await slack.command("mara", "staff", f"/contest codes id:1 file:{file_id}")
    assert ephemerals_to(emu, "mara")[-1].startswith("Codici salvati per il concorso #1.")

    ts = str(giveaway["ts"])
    await slack.click("alice", "general", ts, "Partecipa")
    await slack.click("alice", "general", ts, "Partecipa")
    await slack.click("bob", "general", ts, "Partecipa")
    said = ephemerals_to(emu, "alice")[-2:] + ephemerals_to(emu, "bob")[-1:]
    assert said[0] == "Sei in gara! Buona fortuna 🍀"
    assert said[1] == "Partecipi già a questo giveaway: una partecipazione a testa."
    assert said[2].startswith("Non puoi ancora partecipare") and "i tuoi finora: 0" in said[2]
    await emu.post_message(bob, "general", "eccomi")
    await slack.settle()
    await slack.click("bob", "general", ts, "Partecipa")
    assert ephemerals_to(emu, "bob")[-1] == "Sei in gara! Buona fortuna 🍀"

    await slack.advance(timedelta(days=1))
    posts = bot_posts(emu, "general")
    (draw,) = [p for p in posts if str(p.get("text", "")).startswith("🎉 Estrazione")]
    seed, commitment = re.findall(
        r"Seme: ([0-9a-f]{64}) \(.*: ([0-9a-f]{64})\)", str(draw["text"])
    )[0]
    assert commitment == promised
    (upload,) = [p for p in posts if p.get("files") and float(p["ts"]) > float(draw["ts"])]
    (shared,) = upload["files"]
    entries = emu.files[shared["id"]].data.decode().split()
    assert entries == sorted([alice, bob])
    winners = re.findall(r"<@(U\w+)>", str(draw["text"]).splitlines()[0])
    assert winners == recompute(seed, entries, [2])[0]
    codes = {
        code
        for user in (alice, bob)
        for message in emu.dms_to(user)
        for code in re.findall(r"TAZZA-\d", str(message.get("text")))
    }
    assert codes == {"TAZZA-1", "TAZZA-2"}
    assert not any("TAZZA-" in str(p.get("text")) for p in posts)
    assert emu.problems == []
