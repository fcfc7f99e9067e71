"""The Discord adapter end to end: the real discord.py client against the local Discord
emulator (REST and gateway over real sockets), with the same cogs the console runs."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.adapters.discord.client import shard_count
from bot.adapters.discord.commands import CommandPayload, normalize
from bot.adapters.discord.interaction import DiscordInteraction, modal_for
from bot.adapters.discord.render import outgoing
from bot.adapters.discord.routing import command_path, form_values
from bot.app import App, build_translator
from bot.config import Settings
from bot.core.cards import Button, ButtonStyle, Card, Field, Image, Message
from bot.core.events import ButtonPressed, MemberLeft, MessageEdited, MessagePosted
from bot.core.model import Role
from cogs.polls.cog import PollsCog
from cogs.polls.form import poll_form
from tests.adapters.discord_support import (
    EPHEMERAL,
    DiscordRun,
    ScriptOverDiscord,
    bot_messages,
    buttons,
    counts,
    create_role,
    discord_emulator,
    private_answers,
    settle,
)
from tests.blackbox import start_bot
from tests.emulators.discord_emulator import CommandNotAvailable, DiscordEmulator
from tests.harness import running_bot

ROOT = Path(__file__).resolve().parents[2]
POLL = {"question": "Pizza o pasta?", "option1": "Pizza", "option2": "Pasta", "duration": "1h"}
LATER = timedelta(hours=1, minutes=1)


@pytest.fixture
async def discord_emu() -> AsyncIterator[DiscordEmulator]:
    async with discord_emulator() as emulator:
        yield emulator


@pytest.fixture
def discord_db(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}"


@pytest.fixture
async def ponte(discord_emu: DiscordEmulator, discord_db: str) -> AsyncIterator[DiscordRun]:
    run = DiscordRun(discord_emu, discord_db)
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


async def create_poll(
    emu: DiscordEmulator, user: str, **options: Any
) -> tuple[str, dict[str, Any]]:
    """`/poll create` as a member types it; the poll card's message id and the callback."""
    record = await emu.slash_command(
        user, "general", "poll", subcommand="create", options={**POLL, **options}
    )
    callback = await emu.wait_for_callback(record)
    assert record.response_message_id is not None
    return record.response_message_id, callback


async def vote(emu: DiscordEmulator, user: str, message_id: str, position: int) -> list[str]:
    """Press an option's button; what the member alone was told."""
    custom_id = next(
        b["custom_id"]
        for b in buttons(emu.get_message(message_id))
        if b["custom_id"].endswith(f":{position}") and ":vote:" in b["custom_id"]
    )
    record = await emu.press_button(user, message_id, custom_id)
    await emu.wait_for_callback(record)
    await emu.wait_until(lambda: private_answers(emu, record), what="a private answer")
    await settle(emu)
    return private_answers(emu, record)


# -- welcome ---------------------------------------------------------------------------------


async def test_a_member_joins_and_gets_the_greeting_and_the_dm(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    alice = await emu.member_join("alice")
    greeting = await emu.wait_for_message("general", author_id=emu.bot_user_id)
    assert greeting["content"] == (
        f"👋 Benvenuto/a <@{alice}> in Ponte Test Guild! Ora siamo in 3."
    )
    assert greeting["mentions"][0]["id"] == alice  # the mention pings alice…
    post = emu.calls_matching("POST", rf"/channels/{emu.channel_id('general')}/messages")[0]
    assert post.json["allowed_mentions"] == {"parse": ["users"]}
    dm = await emu.wait_for_dm(alice)  # …and the rules arrive privately
    embed = dm["embeds"][0]
    assert embed["title"] == "Benvenuto/a in Ponte Test Guild!"
    assert [item["name"] for item in embed["fields"]] == ["📜 Regole", "🚀 Primi passi"]
    assert "Rispetta tutti" in embed["fields"][0]["value"]
    await emu.wait_for_call("POST", r"/users/@me/channels")

    # Closed DMs and bots: the greeting still goes out, nothing breaks, bots are not greeted.
    bob = emu.add_user("bob", in_guild=False)
    emu.close_dms(bob)
    await emu.member_join("bob", user_id=bob)
    await emu.member_join("helper", bot=True)
    await settle(emu)
    greeted = [m["content"] for m in bot_messages(emu, "general")]
    assert len(greeted) == 2 and f"<@{bob}>" in greeted[1]
    assert emu.dm_messages_for(bob) == []


async def test_messages_reach_the_core_but_not_from_bots_webhooks_or_discord_itself(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    seen: list[MessagePosted | MessageEdited] = []

    async def record(event: Any) -> None:
        seen.append(event)

    dispatcher = ponte.dispatcher
    dispatcher.message_posted = record  # type: ignore[method-assign]
    dispatcher.message_edited = record  # type: ignore[method-assign]
    carla = await emu.member_join("carla", roles=["Moderator"])  # Discord's join notice too
    first = await emu.post_message(carla, "general", "ciao a tutti")
    await emu.post_message(carla, "general", "rispondo", reply_to=first["id"])
    await emu.edit_message(first["id"], content="ciao a tutte e tutti")
    hook = emu.create_webhook("general", name="GitHub")
    await emu.post_message(hook["id"], "general", "new release", username="GitHub")
    robot = emu.add_user("robot", bot=True)
    await emu.post_message(robot, "general", "beep")
    await settle(emu)
    posted = [event for event in seen if isinstance(event, MessagePosted)]
    assert [event.text for event in posted] == ["ciao a tutti", "rispondo"]
    assert posted[0].channel.name == "general" and posted[0].author.name == "carla"
    assert Role.MODERATOR in posted[0].author.roles
    assert posted[0].ref.message_id == first["id"] and posted[1].thread_of == first["id"]
    edited = [event for event in seen if isinstance(event, MessageEdited)]
    assert [event.text for event in edited] == ["ciao a tutte e tutti"]
    left: list[MemberLeft] = []

    async def record_leave(event: MemberLeft) -> None:
        left.append(event)

    dispatcher.member_left = record_leave  # type: ignore[method-assign]
    await emu.member_leave(carla)
    await settle(emu)
    assert [(event.member.id, event.community.name) for event in left] == [
        (carla, "Ponte Test Guild")
    ]


async def test_what_cogs_ask_of_the_platform(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu, platform, guild = discord_emu, ponte.platform, discord_emu.guild_id
    assert platform is not None
    alice = await emu.member_join("alice", global_name="Alice L.")
    general = emu.channel_id("general")
    chart = Card("Crescita", fields=(Field("Membri", "+3"),), image=Image("chart.png", b"PNG"))
    ref = await platform.send(guild, general, Message(card=chart))
    assert emu.calls_matching("POST", rf"/channels/{general}/messages")[-1].files == ["chart.png"]
    stored = emu.get_message(ref.message_id)
    assert stored["attachments"][0]["filename"] == "chart.png"
    assert stored["embeds"][0]["image"]["url"].endswith("chart.png")
    reply = await platform.send(guild, general, Message(text="sotto"), thread_of=ref.message_id)
    assert emu.get_message(reply.message_id)["message_reference"]["message_id"] == ref.message_id
    await platform.edit(ref, Message(text="@everyone testo nuovo"))
    edited = emu.get_message(ref.message_id)
    assert edited["content"] == "@everyone testo nuovo" and edited["embeds"] == []
    assert not edited["mention_everyone"]  # member text never pings everyone
    await platform.delete(reply)
    await platform.delete(reply)  # already gone: nothing to do
    assert reply.message_id in {m["id"] for m in emu.deleted_messages}

    await platform.send_ephemeral(guild, general, alice, Message(text="solo per te"))
    assert emu.dm_messages_for(alice)[-1]["content"] == "solo per te"  # outside an interaction
    emu.close_dms(alice)
    assert await platform.send_dm(guild, alice, Message(text="chiuso")) is None

    assert await platform.add_role(guild, alice, "staff") is True
    assert await platform.add_role(guild, alice, emu.role_id("Moderator")) is True
    assert emu.member_role_names(alice) == ["Staff", "Moderator"]
    assert await platform.add_role(guild, alice, "Ponte") is False  # the bot's own role
    assert await platform.add_role(guild, alice, "Nessuno") is False
    default = await platform.default_channel(guild)
    assert default is not None and default.name == "general"
    assert await platform.member_count(guild) == 3
    for reference in (f"<@{alice}>", f"<@!{alice}>", alice, "@alice", "Alice L."):
        found = await platform.resolve_member(guild, reference)
        assert found is not None and found.id == alice, reference
    assert await platform.resolve_member(guild, "@nobody") is None
    staff = await platform.resolve_channel(guild, "#staff")
    assert staff is not None and staff.is_private and staff.id == emu.channel_id("staff")
    found_channel = await platform.resolve_channel(guild, f"<#{general}>")
    assert found_channel is not None and found_channel.name == "general"
    assert not found_channel.is_private
    assert await platform.resolve_channel(guild, "#nowhere") is None
    member = await platform.resolve_member(guild, alice)
    assert member is not None and platform.mention(member) == f"<@{alice}>"
    assert platform.channel_mention(found_channel) == f"<#{general}>"


async def test_a_server_past_the_member_cache_limit_is_not_kept_whole_and_still_works(
    discord_emu: DiscordEmulator, discord_db: str
) -> None:
    emu = discord_emu
    alice = emu.add_user("alice", global_name="Alice L.")
    for number in range(4):
        emu.add_user(f"member{number}")
    large = DiscordRun(emu, discord_db, {"discord_member_cache_limit": 3})
    await large.start()
    try:
        assert large.platform is not None and large.platform.client is not None
        [guild] = large.platform.client.guilds
        total = guild.member_count
        assert total is not None and total > 3
        assert not guild.chunked and len(guild.members) < total
        community = str(guild.id)
        for reference in (f"<@{alice}>", "@alice", "Alice L."):  # fetched, or asked for by name
            found = await large.platform.resolve_member(community, reference)
            assert found is not None and found.id == alice, reference
        assert await large.platform.member_count(community) == total
        bob = await emu.member_join("bob")
        await emu.wait_for_dm(bob)  # greeted as ever
    finally:
        await large.stop()
    small = DiscordRun(emu, discord_db)
    await small.start()
    try:
        assert small.platform is not None and small.platform.client is not None
        [guild] = small.platform.client.guilds
        assert guild.chunked and len(guild.members) == total + 1  # every one, bob too
    finally:
        await small.stop()


# -- polls -------------------------------------------------------------------------------------


async def test_poll_card_votes_and_a_changed_vote_over_interactions(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    pressed: list[str] = []
    dispatcher = ponte.dispatcher
    real_press = dispatcher.button_pressed

    async def count_press(event: ButtonPressed) -> None:
        pressed.append(event.custom_id)
        await real_press(event)

    dispatcher.button_pressed = count_press  # type: ignore[method-assign]
    alice, bob, carla = (emu.add_user(name) for name in ("alice", "bob", "carla"))
    message_id, callback = await create_poll(emu, alice)
    assert callback["type"] == 4 and not callback["data"].get("flags")
    embed = callback["data"]["embeds"][0]
    assert embed["title"] == "📊 Pizza o pasta?" and embed["description"] == "Sondaggio di alice"
    assert [f["name"] for f in embed["fields"]] == ["Pizza", "Pasta"]
    assert all("0 voti · 0%" in f["value"] for f in embed["fields"])
    row = callback["data"]["components"][0]["components"]
    assert [(b["label"], b["custom_id"], b["style"]) for b in row] == [
        ("Pizza", "polls:vote:1:0", 1),
        ("Pasta", "polls:vote:1:1", 1),
        ("Chiudi sondaggio", "polls:close:1", 4),
    ]

    assert await vote(emu, bob, message_id, 0) == ["Voto registrato: Pizza."]
    assert counts(emu.get_message(message_id)) == [1, 0]
    assert await vote(emu, carla, message_id, 1) == ["Voto registrato: Pasta."]
    assert counts(emu.get_message(message_id)) == [1, 1]
    assert "50%" in emu.get_message(message_id)["embeds"][0]["fields"][0]["value"]
    # bob changes his mind: the vote moves, it is not added
    assert await vote(emu, bob, message_id, 1) == ["Voto cambiato: ora Pasta."]
    assert counts(emu.get_message(message_id)) == [0, 2]
    callbacks_before = len(emu.calls_matching("POST", r"/interactions/\d+/[^/]+/callback"))
    assert await vote(emu, bob, message_id, 1) == ["Hai già votato Pasta."]
    assert counts(emu.get_message(message_id)) == [0, 2]
    # the double click was answered privately, the card was not touched
    last = emu.calls_matching("POST", r"/interactions/\d+/[^/]+/callback")[callbacks_before:]
    assert [call.json["type"] for call in last] == [4]
    # each press reached the core once: discord.py did not also dispatch a stored view
    assert pressed == ["polls:vote:1:0", "polls:vote:1:1", "polls:vote:1:1", "polls:vote:1:1"]


async def test_poll_closes_on_time_with_results_and_a_late_vote_is_refused(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    alice, bob = emu.add_user("alice"), emu.add_user("bob")
    message_id, _ = await create_poll(emu, alice)
    await vote(emu, bob, message_id, 0)
    await ponte.advance(timedelta(minutes=59))
    assert len(bot_messages(emu, "general")) == 1  # not yet
    await ponte.advance(timedelta(minutes=2))
    card = emu.get_message(message_id)
    assert card["embeds"][0]["description"] == "Sondaggio di alice · chiuso"
    assert all(button["disabled"] for button in buttons(card))
    results = bot_messages(emu, "general")[-1]
    assert results["embeds"][0]["title"] == "🏁 Risultati: Pizza o pasta?"
    assert results["embeds"][0]["description"] == "Vince «Pizza»."
    assert "bob" in results["embeds"][0]["fields"][0]["value"]  # public poll: voters named
    # A member whose screen still shows the open card presses Pasta.
    stale = await emu.post_message(
        emu.bot_user_id,
        "general",
        components=[{"type": 1, "components": [{**buttons(card)[1], "disabled": False}]}],
    )
    record = await emu.press_button(bob, stale["id"], "polls:vote:1:1")
    callback = await emu.wait_for_callback(record)
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"] == ("Il sondaggio è chiuso: il voto non è stato registrato.")
    assert counts(emu.get_message(message_id)) == [1, 0]


async def test_a_restart_mid_poll_keeps_old_buttons_working_and_the_deadline(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    alice, bob, carla = (emu.add_user(name) for name in ("alice", "bob", "carla"))
    message_id, _ = await create_poll(emu, alice)
    await vote(emu, bob, message_id, 0)
    await ponte.restart()  # a new process: nothing of the poll is in memory
    assert await vote(emu, carla, message_id, 1) == ["Voto registrato: Pasta."]
    assert counts(emu.get_message(message_id)) == [1, 1]
    await ponte.advance(LATER)
    results = bot_messages(emu, "general")[-1]
    assert results["embeds"][0]["title"] == "🏁 Risultati: Pizza o pasta?"
    assert all(button["disabled"] for button in buttons(emu.get_message(message_id)))
    assert emu.identify_count == 2  # two processes, each its own gateway session


async def test_a_poll_typed_in_a_form_is_created(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    alice = emu.add_user("alice")
    values = {"question": "Cena?", "options": "Pizza\nSushi\nPasta", "anonymous": "sì"}
    record = await emu.submit_modal(alice, "general", "polls:form", values)
    callback = await emu.wait_for_callback(record)
    embed = callback["data"]["embeds"][0]
    assert embed["title"] == "📊 Cena?" and len(embed["fields"]) == 3
    assert embed["footer"]["text"].startswith("anonimo")


# -- commands ------------------------------------------------------------------------------


async def test_the_registered_commands_match_the_declarations(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    registered = {c["name"]: c for c in emu.registered_commands() if c["type"] == 1}
    assert set(registered) == {command.name for command in ponte.dispatcher.commands}
    menus = [c for c in emu.registered_commands() if c["type"] == 3]  # message commands
    assert len(menus) == len(ponte.dispatcher.message_actions)
    assert {"welcome", "poll"} <= set(registered)
    assert emu.registered_commands(emu.guild_id) == []  # global, no DISCORD_DEV_GUILD
    welcome, poll = registered["welcome"], registered["poll"]
    assert welcome["default_member_permissions"] == "32"  # Manage Server
    assert poll["default_member_permissions"] is None
    assert poll["description_localizations"]["it"] == "Sondaggi"
    # English is the base text: Discord keeps only the localizations that differ from it.
    assert poll["description"] == "Polls" and "en-US" not in poll["description_localizations"]
    subs = {sub["name"]: sub for sub in poll["options"]}
    assert {"create", "list", "close"} <= set(subs)
    assert {sub["type"] for sub in subs.values()} == {1}
    create = [(o["name"], o["type"], o.get("required", False)) for o in subs["create"]["options"]]
    assert create[:3] == [("question", 3, True), ("option1", 3, True), ("option2", 3, True)]
    optional = {name: kind for name, kind, required in create if not required}
    assert {"duration": 3, "anonymous": 5, "multiple": 5}.items() <= optional.items()
    assert all(not required for _, _, required in create[len(create) - len(optional) :])
    assert subs["create"]["options"][0]["max_length"] == 240
    close = subs["close"]["options"][0]
    assert (close["name"], close["type"], close["min_value"]) == ("poll", 4, 1)
    settings = {o["name"]: o for o in welcome["options"][0]["options"]}  # /welcome set
    assert settings["channel"]["type"] == 7 and settings["enabled"]["type"] == 5
    language = settings["language"]
    assert [
        (c["value"], c["name"], c["name_localizations"]["it"]) for c in language["choices"]
    ] == [
        ("it", "Italian", "italiano"),
        ("en", "English", "inglese"),
    ]
    assert all(len(o["description"]) <= 100 for o in settings.values())
    # The same declarations after a restart: nothing is written again.
    puts = len(emu.calls_matching("PUT", r"/applications/\d+/commands"))
    await ponte.restart()
    assert ponte.platform is not None and ponte.platform.commands_synced is False
    assert len(emu.calls_matching("PUT", r"/applications/\d+/commands")) == puts == 1
    get = emu.calls_matching("GET", r"/applications/\d+/commands")[-1]
    assert get.query == {"with_localizations": "true"}


async def test_development_guild_commands_and_admin_only_settings(
    discord_emu: DiscordEmulator, discord_db: str
) -> None:
    emu = discord_emu
    run = DiscordRun(emu, discord_db, {"discord_dev_guild": emu.guild_id})
    await run.start()
    try:
        assert emu.registered_commands() == []
        names = {c["name"] for c in emu.registered_commands(emu.guild_id) if c["type"] == 1}
        assert names == {command.name for command in run.dispatcher.commands}
        plain = emu.add_user("plain")
        with pytest.raises(CommandNotAvailable):  # Discord hides /welcome from members
            await emu.slash_command(plain, "general", "welcome", subcommand="preview")
        # …and if Discord let them through (an admin edited the integration), Ponte refuses.
        record = await emu.slash_command(
            plain, "general", "welcome", subcommand="preview", enforce_permissions=False
        )
        callback = await emu.wait_for_callback(record)
        assert callback["data"]["flags"] & EPHEMERAL
        assert callback["data"]["content"] == "Questa azione è riservata al ruolo amministratore."
    finally:
        await run.stop()


async def test_auto_sharding_connects_every_shard(tmp_path: Path) -> None:
    async with discord_emulator(shard_count=2) as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'shards.db'}")
        run.overrides["discord_shards"] = "auto"
        await run.start()
        try:
            assert emu.calls_matching("GET", "/gateway/bot") and emu.identify_count == 2
            alice = await emu.member_join("alice")
            await emu.wait_for_dm(alice)
            assert f"<@{alice}>" in bot_messages(emu, "general")[0]["content"]
        finally:
            await run.stop()


# -- Discord's rules: 429s, the gateway, the 3-second window, failures ------------------------


async def test_a_rate_limited_greeting_is_retried_and_posted_once(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    emu.rate_limit_next("POST", r"/channels/\d+/messages", count=1, retry_after=0.05)
    alice = await emu.member_join("alice")
    await emu.wait_for_dm(alice)
    await settle(emu)
    posts = emu.calls_matching("POST", rf"/channels/{emu.channel_id('general')}/messages")
    assert [call.status for call in posts] == [429, 200]
    assert [f"<@{alice}>" in m["content"] for m in bot_messages(emu, "general")] == [True]


async def test_a_gateway_drop_is_resumed_and_no_event_is_handled_twice(
    discord_emu: DiscordEmulator, ponte: DiscordRun
) -> None:
    emu = discord_emu
    await emu.drop_gateway(resumable=True)
    alice = await emu.member_join("alice")  # while Ponte is reconnecting
    await emu.wait_for_dm(alice, timeout=10)
    await emu.wait_connected()
    bob = await emu.member_join("bob")
    await emu.wait_for_dm(bob)
    await settle(emu, quiet=0.3)
    assert emu.resume_count == 1 and emu.identify_count == 1
    greetings = [m["content"] for m in bot_messages(emu, "general")]
    assert [text.count(f"<@{alice}>") for text in greetings] == [1, 0]
    assert [text.count(f"<@{bob}>") for text in greetings] == [0, 1]
    assert len(emu.dm_messages_for(alice)) == len(emu.dm_messages_for(bob)) == 1


async def test_a_slow_database_is_deferred_in_time_and_answered_by_follow_up(
    discord_emu: DiscordEmulator, ponte: DiscordRun, tmp_path: Path
) -> None:
    emu = discord_emu
    alice = emu.add_user("alice")
    await create_poll(emu, alice)  # the community's row exists: only writes will wait
    # Another process writing for 2.5 s; taken off the event loop, so that Ponte's own
    # transaction still in flight after the poll's card can commit first.
    lock = sqlite3.connect(tmp_path / "discord.db", isolation_level=None, check_same_thread=False)
    try:
        await asyncio.to_thread(lock.execute, "BEGIN EXCLUSIVE")
        release = asyncio.get_running_loop().call_later(2.5, lock.execute, "ROLLBACK")
        started = time.monotonic()
        record = await emu.slash_command(
            alice, "general", "poll", subcommand="create", options={**POLL, "question": "Lenta?"}
        )
        callback = await emu.wait_for_callback(record, timeout=3)
        assert time.monotonic() - started < 3 and callback["type"] == 5  # "thinking…"
        await emu.wait_for_call("POST", rf"/webhooks/{emu.application_id}/[^/]+", timeout=5)
        await settle(emu)
        release.cancel()
    finally:
        lock.close()
    answer = emu.get_message(record.response_message_id or "")
    assert answer["embeds"][0]["title"] == "📊 Lenta?" and not answer["flags"] & EPHEMERAL
    assert buttons(answer)[0]["custom_id"] == "polls:vote:2:0"
    assert await vote(emu, alice, answer["id"], 0) == ["Voto registrato: Pizza."]


async def test_a_failing_cog_gets_a_localized_private_error_and_the_gateway_goes_on(
    discord_emu: DiscordEmulator, ponte: DiscordRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = discord_emu

    async def broken(self: PollsCog, ctx: Any, args: Any) -> None:
        raise RuntimeError("a bug in a cog")

    monkeypatch.setattr(PollsCog, "list_open", broken)
    # `/poll list` was bound when the cog declared its commands: rebind on a fresh start.
    await ponte.restart()
    alice = emu.add_user("alice", locale="en-US")
    record = await emu.slash_command(alice, "general", "poll", subcommand="list")
    callback = await emu.wait_for_callback(record)
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"] == (
        "Qualcosa è andato storto. Lo staff è stato avvisato nei log; riprova tra poco."
    )
    bob = await emu.member_join("bob")  # the gateway is still listening
    await emu.wait_for_dm(bob)
    message_id, _ = await create_poll(emu, alice)
    assert await vote(emu, bob, message_id, 1) == ["Voto registrato: Pasta."]


async def test_an_answer_too_late_for_discord_is_logged_once_without_a_traceback(
    discord_emu: DiscordEmulator,
    ponte: DiscordRun,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A process far behind its events answers after Discord stopped waiting: nobody is left
    to read an error, so none is tried, and no traceback fills the log."""
    emu = discord_emu
    emu._interactions.callback_deadline = 0.3  # Discord's 3 s, shortened

    async def slow(self: PollsCog, ctx: Any, args: Any) -> None:
        await asyncio.sleep(0.6)
        await ctx.reply("troppo tardi", ephemeral=True)

    monkeypatch.setattr(PollsCog, "list_open", slow)
    monkeypatch.setattr(DiscordInteraction, "start_timer", lambda self: None)  # no defer
    await ponte.restart()
    alice = emu.add_user("alice")
    with caplog.at_level(logging.INFO):
        record = await emu.slash_command(alice, "general", "poll", subcommand="list")
        await asyncio.sleep(1.0)
    assert record.response_type is None  # never answered: it came too late
    late = [r for r in caplog.records if "expired" in r.getMessage()]
    assert len(late) == 1 and late[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    emu._interactions.callback_deadline = 3.0
    message_id, _ = await create_poll(emu, alice)  # the next one is answered as ever
    assert await vote(emu, alice, message_id, 0) == ["Voto registrato: Pizza."]


async def test_a_poll_made_after_discord_stopped_waiting_is_posted_in_its_channel(
    discord_emu: DiscordEmulator, ponte: DiscordRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = discord_emu
    emu._interactions.callback_deadline = 0.3  # Discord's 3 s, shortened
    create = PollsCog.create

    async def late(self: PollsCog, ctx: Any, args: Any) -> None:
        await asyncio.sleep(0.6)
        await create(self, ctx, args)

    monkeypatch.setattr(PollsCog, "create", late)
    monkeypatch.setattr(DiscordInteraction, "start_timer", lambda self: None)  # no defer
    await ponte.restart()
    alice = emu.add_user("alice")
    record = await emu.slash_command(
        alice, "general", "poll", subcommand="create", options={**POLL, "question": "Tardi?"}
    )
    await emu.wait_until(lambda: bot_messages(emu, "general"), what="the poll's card")
    await settle(emu)
    assert record.response_type is None  # the command itself went unanswered
    [card] = bot_messages(emu, "general")
    assert card["embeds"][0]["title"] == "📊 Tardi?"
    emu._interactions.callback_deadline = 3.0
    assert await vote(emu, alice, card["id"], 1) == ["Voto registrato: Pasta."]


# -- the scripted demo on both platforms --------------------------------------------------------


def console_outcomes(output: str) -> dict[str, Any]:
    lines = output.splitlines()
    answers = []
    for index, line in enumerate(lines):
        if match := re.match(r"^\[solo per @(\w+)\] ?(.*)$", line):
            text = match.group(2) or lines[index + 1].strip().lstrip("┃").strip()
            answers.append((match.group(1), text))
    return {
        "greeted": re.findall(r"^\[#benvenuti\] Ciao @(\w+), benvenuto/a", output, re.M),
        "greeted_by_default": re.findall(r"^\[#generale\] 👋 Benvenuto/a @(\w+)", output, re.M),
        "dm": sorted(set(re.findall(r"^\[DM @(\w+)\]", output, re.M))),
        "role": sorted(re.findall(r"ruolo Nuovi dato a @(\w+)", output)),
        "answers": answers,
        "results": re.findall(r"┃ (🏁 Risultati: .*)\n  ┃ (.*)", output),
    }


async def test_the_console_demo_has_the_same_outcomes_on_discord(
    discord_emu: DiscordEmulator, discord_db: str, tmp_path: Path
) -> None:
    script = (ROOT / "docs" / "demo" / "demo-it.txt").read_text(encoding="utf-8").splitlines()
    async with running_bot(tmp_path / "console.db", "it") as console:
        expected = console_outcomes(await console.say(*script))

    emu = discord_emu
    await create_role(emu, "Nuovi")
    run = DiscordRun(emu, discord_db)
    await run.start()
    try:
        played = ScriptOverDiscord(run)
        await played.play(script)
    finally:
        await run.stop()
    names = {user_id: name for name, user_id in played.users.items()}

    def greeted(channel: str, pattern: str) -> list[str]:
        found = [re.match(pattern, m["content"]) for m in bot_messages(emu, channel)]
        return [names[match.group(1)] for match in found if match]

    results = [
        (m["embeds"][0]["title"], m["embeds"][0]["description"])
        for m in bot_messages(emu, "general")
        if m["embeds"] and m["embeds"][0]["title"].startswith("🏁")
    ]
    actual = {
        "greeted": greeted("benvenuti", r"Ciao <@(\d+)>, benvenuto/a"),
        "greeted_by_default": greeted("general", r"👋 Benvenuto/a <@(\d+)>"),
        "dm": sorted(name for name, user in played.users.items() if emu.dm_messages_for(user)),
        "role": sorted(
            name for name, user in played.users.items() if "Nuovi" in emu.member_role_names(user)
        ),
        "answers": played.answers(),
        "results": results,
    }
    assert expected["greeted"] == ["alice", "bruno", "mara"]
    assert ("bruno", "Il sondaggio è chiuso: il voto non è stato registrato.") in expected[
        "answers"
    ]
    assert actual == expected


# -- the whole bot as a black box -----------------------------------------------------------


async def start_bot_on(
    emu: DiscordEmulator, workdir: Path, token: str
) -> asyncio.subprocess.Process:
    """`python -m bot run` with Discord's addresses pointed at the emulator."""
    return await start_bot(
        workdir,
        "run",
        DISCORD_TOKEN=token,
        DISCORD_API_URL=emu.api_url,
        DISCORD_GATEWAY_URL=emu.gateway_url,
    )


async def test_python_m_bot_run_on_the_emulator_welcomes_and_stops_on_sigterm(
    discord_emu: DiscordEmulator, tmp_path: Path
) -> None:
    emu = discord_emu
    process = await start_bot_on(emu, tmp_path, emu.token)
    try:
        await emu.wait_for_call("PUT", r"/applications/\d+/commands", timeout=30)
        alice = await emu.member_join("alice")
        greeting = await emu.wait_for_message("general", author_id=emu.bot_user_id)
        assert f"<@{alice}>" in greeting["content"]
        await emu.wait_for_dm(alice)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    assert emu.token.encode() not in stderr


async def test_a_refused_token_stops_with_a_clear_message_and_exit_2(
    discord_emu: DiscordEmulator, tmp_path: Path
) -> None:
    emu = discord_emu
    process = await start_bot_on(emu, tmp_path, "not-the-token")
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    text = stderr.decode()
    assert process.returncode == 2, text
    assert "ponte: cannot start:" in text and "DISCORD_TOKEN" in text
    assert "Traceback" not in text and "not-the-token" not in text


# -- rendering and parsing, without a network ------------------------------------------------


async def test_cards_fit_discords_limits_and_carry_their_picture() -> None:
    card = Card(
        title="T" * 300,
        text="x" * 5000,
        fields=tuple(Field(f"f{n}", "v" * 2000) for n in range(25)),
        buttons=tuple(
            Button(f"b{n}", f"polls:vote:1:{n}", ButtonStyle.DANGER, disabled=n == 0)
            for n in range(25)
        ),
        footer="footer",
        image=Image("chart.png", b"\x89PNG", "the chart"),
    )
    out = outgoing(Message(text="@everyone " + "y" * 2500, card=card))
    embed = out.embeds[0].to_dict()
    assert len(embed["title"]) == 256 and embed["title"].endswith("…")
    assert len(out.embeds[0]) <= 6000 and len(embed["fields"]) == 25
    assert all(len(item["value"]) <= 1024 for item in embed["fields"])
    assert embed["image"]["url"] == "attachment://chart.png"
    assert out.content is not None and len(out.content) == 2000
    assert out.view is not None and out.view.is_finished()  # never stored by discord.py
    rows = out.view.to_components()
    assert [len(row["components"]) for row in rows] == [5, 5, 5, 5, 5]
    assert rows[0]["components"][0]["disabled"] is True
    assert rows[0]["components"][1]["style"] == 4
    [file] = out.files()
    assert file.filename == "chart.png" and file.fp.read() == b"\x89PNG"
    mentions = out.send_kwargs()["allowed_mentions"].to_dict()
    assert mentions == {"parse": ["users"]}


def test_command_payloads_and_interaction_data_round_trip(tmp_path: Path) -> None:
    translator = build_translator("it")
    app = App(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", _env_file=None))  # type: ignore[call-arg]
    payload = CommandPayload(translator).build(PollsCog(app.services).commands())
    assert normalize(payload) == normalize(payload[::-1])
    changed = [{**payload[0], "description": "something else"}]
    assert normalize(changed) != normalize(payload)
    data = {
        "name": "poll",
        "options": [{"type": 1, "name": "close", "options": [{"name": "poll", "value": 3}]}],
    }
    assert command_path(data) == (("poll", "close"), [{"name": "poll", "value": 3}])
    submitted = [
        {"type": 1, "components": [{"type": 4, "custom_id": "question", "value": "Cena?"}]},
        {"type": 18, "component": {"type": 4, "custom_id": "options", "value": "A\nB"}},
    ]
    assert form_values(submitted) == {"question": "Cena?", "options": "A\nB"}


def test_discord_settings_are_checked_at_start() -> None:
    settings = Settings(_env_file=None, discord_dev_guild=" ", discord_shards=" Auto ")  # type: ignore[call-arg]
    assert settings.discord_dev_guild is None and settings.discord_shards == "auto"
    assert shard_count("") == (False, None) and shard_count("auto") == (True, None)
    assert shard_count("3") == (True, 3)
    for wrong in ({"discord_dev_guild": "my server"}, {"discord_shards": "0"}):
        with pytest.raises(ValidationError):
            Settings.model_validate(wrong)


async def test_a_form_becomes_a_modal_within_discords_limits() -> None:
    translator = build_translator("it")
    form = poll_form(lambda key, **params: translator.gettext("it", key, **params), "polls:form")
    modal = modal_for(form)
    assert modal.is_finished()  # answered through on_interaction, never stored by discord.py
    payload = modal.to_dict()
    assert payload["custom_id"] == "polls:form" and len(payload["title"]) <= 45
    inputs = [row["components"][0] for row in payload["components"]]
    assert [item["custom_id"] for item in inputs] == [
        "question",
        "options",
        "duration",
        "anonymous",
        "multiple",
    ]
    assert inputs[1]["style"] == 2 and inputs[0]["style"] == 1  # options: several lines
    assert all(len(item["label"]) <= 45 for item in inputs)
    assert [item["required"] for item in inputs] == [True, True, False, False, False]
