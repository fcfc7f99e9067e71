"""Which of Discord's message events are a member's doing: an edit of the text is, the
preview Discord adds to a link or a pin is not; a purge deletes every message it names.
The real discord.py, with no message cache, against the emulator."""

from __future__ import annotations

from tests.adapters.discord_support import DiscordRun, probe_emu, probe_of, probed, settle

__all__ = ["probe_emu", "probed"]  # fixtures


async def test_a_link_preview_or_a_pin_is_not_an_edit_and_a_changed_text_is(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    posted = await emu.post_message(alice, "general", "la guida: https://example.com/guida")
    await settle(emu)
    shown = emu.get_message(posted["id"])
    assert [embed["url"] for embed in shown["embeds"]] == ["https://example.com/guida"]
    await emu.pin_message(posted["id"])
    await settle(emu)
    probe = probe_of(probed)
    assert [event.text for event in probe.posted] == ["la guida: https://example.com/guida"]
    assert probe.edited == []  # the preview and the pin changed nothing alice wrote
    await emu.edit_message(posted["id"], content="la guida nuova: https://example.com/v2")
    await settle(emu)
    await emu.pin_message(posted["id"], pinned=False)
    await settle(emu)
    # One edit, though its new link's preview and the unpin came after it as updates too.
    assert [event.text for event in probe.edited] == ["la guida nuova: https://example.com/v2"]
    await emu.edit_message(posted["id"], content="la guida nuova, corretta")
    await settle(emu)
    assert [event.text for event in probe.edited][-1] == "la guida nuova, corretta"
    assert len(probe.edited) == 2


async def test_a_purge_reaches_the_cogs_as_one_deletion_per_message(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    posts = [await emu.post_message(alice, "general", f"spam {n}") for n in range(3)]
    await settle(emu)
    purged = await emu.purge("general", [post["id"] for post in posts[:2]])
    await settle(emu)
    deleted = probe_of(probed).deleted
    assert sorted(event.ref.message_id for event in deleted) == sorted(purged)
    assert len(purged) == 2
    assert all(event.channel.name == "general" for event in deleted)
    assert all(event.community.id == emu.guild_id for event in deleted)
