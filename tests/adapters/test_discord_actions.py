"""Message commands, attachment options and files on Discord, end to end: the real
discord.py against the emulator, with a test-only cog (tests/adapters/discord_probe)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.discord import DiscordPlatform
from bot.core.cards import Card, Message
from bot.core.model import MAX_ATTACHMENT_BYTES, Attachment, MessageRef
from tests.adapters.discord_support import (
    EPHEMERAL,
    DiscordRun,
    ScriptOverDiscord,
    probe_emu,
    probe_of,
    probed,
    settle,
)
from tests.emulators.discord_emulator import CommandNotAvailable, DiscordEmulator

__all__ = ["probe_emu", "probed"]  # fixtures
REPORT = "Segnala ai moderatori"  # the label in the community's default language


def platform_of(run: DiscordRun) -> DiscordPlatform:
    assert run.platform is not None
    return run.platform


async def answered(emu: DiscordEmulator, record: object) -> list[dict[str, object]]:
    """The messages the bot answered an interaction with (response and follow-ups)."""
    await emu.wait_for_callback(record)  # type: ignore[arg-type]
    await settle(emu)
    ids = [record.response_message_id, *record.followup_ids]  # type: ignore[attr-defined]
    found = []
    for message_id in ids:
        if message_id is not None:
            try:
                found.append(emu.get_message(message_id))
            except Exception:
                continue  # a "thinking" message replaced by the answer
    return found


async def test_message_actions_are_registered_as_message_commands_once(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    registered = {(c["type"], c["name"]): c for c in emu.registered_commands()}
    report = registered[(3, REPORT)]
    # Italian is the base name: Discord keeps only the localizations that differ from it.
    assert report["name"] == "Segnala ai moderatori"
    assert report["name_localizations"] == {
        "en-US": "Report to moderators",
        "en-GB": "Report to moderators",
    }
    assert report.get("default_member_permissions") is None
    tag = registered[(3, "Etichetta per il riepilogo")]
    assert tag["default_member_permissions"] == "8192"  # Manage Messages: moderators
    assert (1, "bank") in registered and (1, "help") in registered
    await probed.restart()
    assert platform_of(probed).commands_synced is False  # nothing changed: nothing written


async def test_report_to_moderators_on_a_members_message(probed: DiscordRun) -> None:
    emu = probed.emu
    alice, bob = emu.add_user("alice"), emu.add_user("bob")
    posted = await emu.post_message(alice, "general", "link sospetto: bit.ly/xyz")
    record = await emu.message_command(bob, posted["id"], REPORT)
    answers = await answered(emu, record)
    link = f"https://discord.com/channels/{emu.guild_id}/{posted['channel_id']}/{posted['id']}"
    assert [(m["content"], m["flags"] & EPHEMERAL) for m in answers] == [
        (f"Segnalato il messaggio di alice: link sospetto: bit.ly/xyz ({link})", EPHEMERAL)
    ]
    target = probe_of(probed).reported[0]
    assert target.author.id == alice and target.ref.message_id == posted["id"]


async def test_a_moderators_message_command_is_not_offered_to_members(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice, bob = emu.add_user("alice"), emu.add_user("bob")
    mara = emu.add_user("mara", roles=["Moderator"])
    posted = await emu.post_message(alice, "general", "da mettere nel riepilogo")
    with pytest.raises(CommandNotAvailable):
        await emu.message_command(bob, posted["id"], "Etichetta per il riepilogo")
    record = await emu.message_command(mara, posted["id"], "Etichetta per il riepilogo")
    answers = await answered(emu, record)
    assert [m["content"] for m in answers] == ["Etichettato: da mettere nel riepilogo"]


async def test_an_attached_file_reaches_the_cog_and_files_go_back(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    record = await emu.slash_command(
        alice, "general", "bank", options={"file": ("bank.txt", b"uno\ndue\ntre")}
    )
    answers = await answered(emu, record)
    assert [(m["content"], m["flags"] & EPHEMERAL) for m in answers] == [
        ("Ricevuto bank.txt: 3 righe", EPHEMERAL),
        ("Ricevuto bank.txt: 3 righe", 0),
    ]
    for message in answers:
        attachments = message["attachments"]
        assert [a["filename"] for a in attachments] == ["lines.csv"]
        assert emu.file_bytes(attachments[0]["id"]) == b"0,uno\n1,due\n2,tre"
    assert len(emu.downloads) == 1  # the member's file, read once


async def test_a_file_too_large_is_refused_before_it_is_read(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    big = b"x" * (MAX_ATTACHMENT_BYTES + 1)
    record = await emu.slash_command(alice, "general", "bank", options={"file": ("big.txt", big)})
    answers = await answered(emu, record)
    assert [m["content"] for m in answers] == [
        "Il file di «file» è troppo grande: al massimo 2.048 KB."
    ]
    assert all(m["flags"] & EPHEMERAL for m in answers)
    assert emu.downloads == []


async def test_files_go_with_channel_messages_dms_and_cards(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    platform = platform_of(probed)
    export = Attachment("export.csv", b"nome,voti\nPizza,3\n", "text/csv")
    general = emu.channel_id("general")
    sent = await platform.send(emu.guild_id, general, Message(files=(export,)))
    card = Message(card=Card(title="Esportazione"), files=(export,))
    with_card = await platform.send(emu.guild_id, general, card)
    dm = await platform.send_dm(emu.guild_id, alice, Message(text="Ecco", files=(export,)))
    assert dm is not None
    for ref in (sent, with_card, dm):
        message = emu.get_message(ref.message_id)
        assert [a["filename"] for a in message["attachments"]] == ["export.csv"]
        assert emu.file_bytes(message["attachments"][0]["id"]) == export.data
    assert emu.get_message(with_card.message_id)["embeds"][0]["title"] == "Esportazione"


async def test_the_consoles_lines_play_over_discord(probed: DiscordRun, tmp_path: Path) -> None:
    emu = probed.emu
    script = ScriptOverDiscord(probed)
    script.users = {name: emu.add_user(name) for name in ("alice", "bob")}
    bank = tmp_path / "bank.txt"
    bank.write_bytes(b"uno\ndue\n")
    await script.play(
        [
            "@alice in #general: ciao a tutti",
            "@bob reply @alice: ciao alice",
            "@bob report @alice",
            "@alice edit @alice: ciao a tutti!",
            f"@bob: /bank file:{bank}",
            "@alice delete @alice",
        ]
    )
    probe = probe_of(probed)
    first, answer = probe.posted
    assert answer.reply_to == first.ref.message_id
    assert [target.text for target in probe.reported] == ["ciao a tutti"]
    assert [event.text for event in probe.edited] == ["ciao a tutti!"]
    assert [event.ref.message_id for event in probe.deleted] == [first.ref.message_id]
    assert [text for _, text in script.answers()] == [
        f"Segnalato il messaggio di alice: ciao a tutti ({link(emu, first.ref)})",
        "Ricevuto bank.txt: 2 righe",
    ]


def link(emu: DiscordEmulator, ref: MessageRef) -> str:
    return f"https://discord.com/channels/{emu.guild_id}/{ref.channel_id}/{ref.message_id}"


async def test_a_message_action_may_open_a_form(probed: DiscordRun) -> None:
    emu = probed.emu
    alice, bob = emu.add_user("alice"), emu.add_user("bob")
    posted = await emu.post_message(alice, "general", "offerta imperdibile")
    record = await emu.message_command(bob, posted["id"], "Spiega perché")
    callback = await emu.wait_for_callback(record)
    assert callback["type"] == 9  # a modal
    assert callback["data"]["title"] == "Spiega perché"
    custom_id = callback["data"]["custom_id"]
    submitted = await emu.submit_modal(bob, "general", custom_id, {"why": "è pubblicità"})
    answers = await answered(emu, submitted)
    assert [(m["content"], m["flags"] & EPHEMERAL) for m in answers] == [
        (f"Messaggio {posted['id']}: è pubblicità", EPHEMERAL)
    ]
