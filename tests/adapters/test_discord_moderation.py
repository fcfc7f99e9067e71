"""Moderation on Discord end to end: the real discord.py against the emulator. Holding a
member's message, reposting it under their name through a webhook, timeouts, message
links, the moderators' and staff's channels, roles, deletions and replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.adapters.discord import DiscordPlatform
from bot.core.cards import Message
from bot.core.model import HoldOutcome, Member, MessageRef, Role
from tests.adapters.discord_support import (
    DiscordRun,
    only_cogs,
    probe_emu,
    probe_of,
    probed,
    settle,
)
from tests.emulators.discord.constants import Permission
from tests.emulators.discord_emulator import DiscordEmulator

__all__ = ["probe_emu", "probed"]  # fixtures
NOTICE = Message(text="Questo messaggio è in revisione.")


def platform_of(run: DiscordRun) -> DiscordPlatform:
    assert run.platform is not None
    return run.platform


def ref_of(emu: DiscordEmulator, message: dict[str, str]) -> MessageRef:
    return MessageRef("discord", emu.guild_id, message["channel_id"], message["id"])


async def author(run: DiscordRun, user_id: str) -> Member:
    found = await platform_of(run).resolve_member(run.emu.guild_id, user_id)
    assert found is not None
    return found


# -- hold ----------------------------------------------------------------------------------


async def test_a_held_message_is_deleted_and_the_deletion_reaches_the_cogs(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    posted = await emu.post_message(alice, "general", "compra follower a poco")
    await settle(emu)
    outcome = await platform_of(probed).hold(ref_of(emu, posted), NOTICE)
    await settle(emu)
    assert outcome is HoldOutcome.HIDDEN
    assert all(m["id"] != posted["id"] for m in emu.messages[emu.channel_id("general")])
    deleted = probe_of(probed).deleted
    assert [event.ref.message_id for event in deleted] == [posted["id"]]
    assert deleted[0].channel.name == "general"


async def test_without_manage_messages_a_held_message_gets_a_notice(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    posted = await emu.post_message(alice, "general", "messaggio dubbio")
    await emu.set_bot_permission(Permission.MANAGE_MESSAGES, False)
    await settle(emu)
    outcome = await platform_of(probed).hold(ref_of(emu, posted), NOTICE)
    assert outcome is HoldOutcome.NOTICED
    general = emu.messages[emu.channel_id("general")]
    assert any(m["id"] == posted["id"] for m in general)  # still there
    notice = general[-1]
    assert notice["author"]["id"] == emu.bot_user_id
    assert notice["content"] == "Questo messaggio è in revisione."
    assert notice["message_reference"]["message_id"] == posted["id"]


async def test_holding_a_message_already_gone_fails_quietly(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    posted = await emu.post_message(alice, "general", "cancellato subito")
    await emu.delete_message(posted["id"])
    outcome = await platform_of(probed).hold(ref_of(emu, posted), NOTICE)
    assert outcome is HoldOutcome.FAILED


# -- repost --------------------------------------------------------------------------------


async def test_a_repost_comes_through_one_webhook_under_the_authors_name(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice = emu.add_user("alice", global_name="Alice Rossi")
    bob = emu.add_user("bob")
    platform = platform_of(probed)
    member = await author(probed, alice)
    general = emu.channel_id("general")
    start = emu.mark()
    first = await platform.repost(
        emu.guild_id, general, member, f"ciao <@{bob}> @everyone", attribution="@alice:"
    )
    second = await platform.repost(emu.guild_id, general, member, "secondo", attribution="@alice:")
    await settle(emu)
    message = emu.get_message(first.message_id)
    assert message["author"]["username"] == "Alice Rossi"
    assert message["content"] == f"ciao <@{bob}> @everyone"
    assert message["mentions"] == [] and message["mention_everyone"] is False
    assert message["webhook_id"] and first.channel_id == general
    assert emu.get_message(second.message_id)["webhook_id"] == message["webhook_id"]
    assert len(emu.calls_matching("POST", rf"/channels/{general}/webhooks", start=start)) == 1
    executed = emu.calls_matching("POST", r"/webhooks/\d+/[^/]+", start=start)
    assert executed[0].query.get("wait") in ("true", "1")
    assert executed[0].json["avatar_url"] == member.avatar_url
    assert executed[0].json["allowed_mentions"]["parse"] == []
    # The repost comes back through the gateway, and is not taken for a member's post.
    assert all(event.ref.message_id != first.message_id for event in probe_of(probed).posted)


async def test_after_a_restart_the_bots_webhook_is_found_again(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    general = emu.channel_id("general")
    emu.create_webhook("general", name="Someone else's")  # not Ponte's: left alone
    first = await platform_of(probed).repost(
        emu.guild_id, general, await author(probed, alice), "uno", attribution="@alice:"
    )
    await probed.restart()
    start = emu.mark()
    second = await platform_of(probed).repost(
        emu.guild_id, general, await author(probed, alice), "due", attribution="@alice:"
    )
    assert emu.calls_matching("GET", rf"/channels/{general}/webhooks", start=start)
    assert not emu.calls_matching("POST", rf"/channels/{general}/webhooks", start=start)
    webhook = emu.get_message(first.message_id)["webhook_id"]
    assert emu.get_message(second.message_id)["webhook_id"] == webhook


async def test_without_manage_webhooks_the_bot_reposts_with_the_attribution(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    bob = emu.add_user("bob")
    await emu.set_bot_permission(Permission.MANAGE_WEBHOOKS, False)
    await settle(emu)
    ref = await platform_of(probed).repost(
        emu.guild_id,
        emu.channel_id("general"),
        await author(probed, alice),
        f"ciao <@{bob}>",
        attribution="@alice ha scritto:",
    )
    message = emu.get_message(ref.message_id)
    assert message["author"]["id"] == emu.bot_user_id and "webhook_id" not in message
    assert message["content"] == f"@alice ha scritto:\nciao <@{bob}>"
    assert message["mentions"] == []


async def test_a_repost_in_a_thread_goes_through_the_parent_channels_webhook(
    probed: DiscordRun,
) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    thread = await emu.create_thread(alice, "general", "Domande")
    await settle(emu)
    ref = await platform_of(probed).repost(
        emu.guild_id, thread, await author(probed, alice), "nel thread", attribution="@alice:"
    )
    message = emu.get_message(ref.message_id)
    assert message["channel_id"] == thread == ref.channel_id
    assert message["webhook_id"]
    hooks = emu.calls_matching("POST", r"/channels/\d+/webhooks")
    assert [call.path for call in hooks] == [f"/channels/{emu.channel_id('general')}/webhooks"]
    executed = emu.calls_matching("POST", r"/webhooks/\d+/[^/]+")
    assert executed[-1].query["thread_id"] == thread


# -- timeout -------------------------------------------------------------------------------


async def test_a_timeout_silences_the_member_at_most_28_days(probed: DiscordRun) -> None:
    emu = probed.emu
    alice = emu.add_user("alice")
    platform = platform_of(probed)
    until = datetime.now(UTC) + timedelta(hours=1)
    assert await platform.timeout(emu.guild_id, alice, until, "terzo richiamo") is True
    await settle(emu)
    shown = emu.timed_out_until(alice)
    assert shown is not None
    assert abs(datetime.fromisoformat(shown) - until) < timedelta(seconds=1)
    call = emu.calls_matching("PATCH", rf"/guilds/\d+/members/{alice}")[-1]
    assert call.reason == "terzo richiamo"
    far = datetime.now(UTC) + timedelta(days=60)
    assert await platform.timeout(emu.guild_id, alice, far, "recidiva") is True
    await settle(emu)
    capped = datetime.fromisoformat(emu.timed_out_until(alice) or "")
    assert timedelta(days=27) < capped - datetime.now(UTC) <= timedelta(days=28)


async def test_a_timeout_the_bot_may_not_give_is_false(probed: DiscordRun) -> None:
    emu = probed.emu
    platform = platform_of(probed)
    until = datetime.now(UTC) + timedelta(hours=1)
    assert await platform.timeout(emu.guild_id, emu.owner_id, until, "no") is False
    assert await platform.timeout(emu.guild_id, "123456789012345678", until, "no") is False
    alice = emu.add_user("alice")
    await emu.set_bot_permission(Permission.MODERATE_MEMBERS, False)
    await settle(emu)
    assert await platform.timeout(emu.guild_id, alice, until, "no") is False
    assert emu.timed_out_until(alice) is None


# -- links, channels, roles ----------------------------------------------------------------


async def test_message_links_role_channels_and_member_roles(probed: DiscordRun) -> None:
    emu = probed.emu
    platform = platform_of(probed)
    ref = MessageRef("discord", emu.guild_id, "111111111111111111", "222222222222222222")
    assert await platform.message_link(ref) == (
        f"https://discord.com/channels/{emu.guild_id}/111111111111111111/222222222222222222"
    )
    moderators = await platform.role_channel(emu.guild_id, Role.MODERATOR)
    staff = await platform.role_channel(emu.guild_id, Role.STAFF)
    assert moderators is not None and moderators.name == "reviews"
    assert staff is not None and staff.name == "staff" and staff.is_private
    assert await platform.role_channel(emu.guild_id, Role.MEMBER) is None
    mara = emu.add_user("mara", roles=["Moderator", "Staff"])
    roles = await platform.member_roles(emu.guild_id, mara)
    assert roles == {"moderator", "staff", emu.role_id("Moderator"), emu.role_id("Staff")}


async def test_the_role_channels_follow_the_settings(
    probe_emu: DiscordEmulator, tmp_path: object
) -> None:
    emu = probe_emu
    squad = emu.add_channel("squadra")
    run = DiscordRun(
        emu,
        f"sqlite+aiosqlite:///{tmp_path}/d.db",
        {
            "discord_moderator_channel": "nessuno, Squadra",
            "discord_staff_channel": squad,
            **only_cogs("help"),
        },
    )
    await run.start()
    try:
        platform = platform_of(run)
        moderators = await platform.role_channel(emu.guild_id, Role.MODERATOR)
        staff = await platform.role_channel(emu.guild_id, Role.STAFF)
        assert moderators is not None and moderators.id == squad
        assert staff is not None and staff.id == squad
    finally:
        await run.stop()


# -- events --------------------------------------------------------------------------------


async def test_a_reply_names_the_message_it_answers(probed: DiscordRun) -> None:
    emu = probed.emu
    alice, bob = emu.add_user("alice"), emu.add_user("bob")
    question = await emu.post_message(alice, "general", "qualcuno sa l'orario?")
    answer = await emu.post_message(bob, "general", "alle nove", reply_to=question["id"])
    await settle(emu)
    posted = {event.ref.message_id: event for event in probe_of(probed).posted}
    assert posted[question["id"]].reply_to is None
    assert posted[answer["id"]].reply_to == question["id"]
    assert posted[answer["id"]].author.id == bob
