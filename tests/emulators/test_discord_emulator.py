"""Drive an unmodified discord.py client against the Discord emulator (no Ponte code here)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .discord.constants import Permission
from .discord_emulator import CommandNotAvailable, DiscordEmulator

EPHEMERAL = 1 << 6
LOADING = 1 << 7


class ReviewView(discord.ui.View):
    """A persistent view (timeout=None, fixed custom_id) like a bot registers at startup."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(
        label="Approve", style=discord.ButtonStyle.success, custom_id="review:approve", emoji="✅"
    )
    async def approve(
        self, interaction: discord.Interaction, button: discord.ui.Button[Any]
    ) -> None:
        button.disabled = True
        button.label = "Approved"
        await interaction.response.edit_message(
            content=f"Approved by {interaction.user.name}", view=self
        )


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your feedback", custom_id="feedback:text", max_length=200
    )

    def __init__(self) -> None:
        super().__init__(custom_id="feedback")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.text.value}", ephemeral=True)


class Bot:
    """A raw discord.Client + CommandTree wired to capture what the tests need."""

    def __init__(self, *, message_content: bool = True) -> None:
        intents = discord.Intents.default()
        intents.members = True
        intents.message_content = message_content
        self.client = discord.Client(intents=intents, guild_ready_timeout=0.1)
        self.tree = app_commands.CommandTree(self.client)
        self.joins: asyncio.Queue[discord.Member] = asyncio.Queue()
        self.messages: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.resumed = asyncio.Event()
        self.responses: dict[str, discord.InteractionCallbackResponse[Any]] = {}
        self.task: asyncio.Task[None] | None = None
        self._register()

    def _register(self) -> None:
        client, tree = self.client, self.tree

        async def setup_hook() -> None:
            client.add_view(ReviewView())
            await tree.sync()

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            """discord.py sleeps 5 s before every non-initial IDENTIFY; skip that in tests."""

        client.setup_hook = setup_hook  # type: ignore[method-assign]
        client.before_identify_hook = before_identify_hook  # type: ignore[method-assign]

        @client.event
        async def on_member_join(member: discord.Member) -> None:
            await self.joins.put(member)
            await member.send(f"Welcome to {member.guild.name}, {member.name}!")

        @client.event
        async def on_message(message: discord.Message) -> None:
            if message.author != client.user:
                await self.messages.put(message)

        @client.event
        async def on_resumed() -> None:
            self.resumed.set()

        @tree.command(name="review", description="Post something to review")
        async def review(interaction: discord.Interaction) -> None:
            embed = discord.Embed(title="Review me", description="A new submission", color=0x00FF00)
            embed.add_field(name="Author", value=interaction.user.mention)
            self.responses["review"] = await interaction.response.send_message(
                embed=embed, view=ReviewView()
            )

        @tree.command(name="secret", description="Ephemeral reply")
        async def secret(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("only you can see this", ephemeral=True)

        @tree.command(name="slow", description="Defer then follow up")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send("done thinking")
            await interaction.followup.send("psst", ephemeral=True)
            await interaction.edit_original_response(content="done thinking (edited)")

        @tree.command(name="report", description="Reply with a file")
        async def report(interaction: discord.Interaction) -> None:
            data = io.BytesIO(b"name,score\nalice,3\n")
            await interaction.response.send_message("here", file=discord.File(data, "report.csv"))

        @tree.command(name="feedback", description="Open a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(FeedbackModal())

        config = app_commands.Group(
            name="config",
            description="Configure",
            default_permissions=discord.Permissions(manage_guild=True),
        )

        @config.command(name="set", description="Set a value")
        async def config_set(
            interaction: discord.Interaction,
            key: str,
            value: int,
            channel: discord.TextChannel,
            member: discord.Member | None = None,
        ) -> None:
            who = member.name if member else "-"
            await interaction.response.send_message(
                f"{key}={value} in #{channel.name} for {who} (locale {interaction.locale.value})"
            )

        tree.add_command(config)

    async def start(self, emu: DiscordEmulator) -> None:
        task = self.task = asyncio.create_task(self.client.start(emu.token))
        async with asyncio.timeout(10):
            while not self.client.is_ready():
                if task.done():
                    task.result()  # surface the start() failure
                await asyncio.sleep(0.01)

    async def close(self) -> None:
        await self.client.close()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self.task, 5)


@contextlib.asynccontextmanager
async def running_emulator(**options: Any) -> AsyncIterator[DiscordEmulator]:
    """Start an emulator and point discord.py's base URLs at it (restored afterwards)."""
    emulator = DiscordEmulator(**options)
    await emulator.start()
    saved_base, saved_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = emulator.api_url
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emulator.gateway_url)
    try:
        yield emulator
    finally:
        Route.BASE = saved_base
        DiscordWebSocket.DEFAULT_GATEWAY = saved_gateway
        await emulator.stop()


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with running_emulator() as emulator:
        yield emulator


@pytest.fixture
async def dpy(emu: DiscordEmulator) -> AsyncIterator[Bot]:
    harness = Bot()
    await harness.start(emu)
    try:
        yield harness
    finally:
        await harness.close()


async def next_item(queue: asyncio.Queue[Any]) -> Any:
    return await asyncio.wait_for(queue.get(), 5)


# ---------------------------------------------------------------------- connection


async def test_client_connects_and_sees_the_guild(emu: DiscordEmulator, dpy: Bot) -> None:
    await emu.wait_ready()
    client = dpy.client
    assert client.user is not None and str(client.user.id) == emu.bot_user_id
    assert str(client.application_id) == emu.application_id
    guild = client.get_guild(int(emu.guild_id))
    assert guild is not None and guild.chunked
    assert {c.name for c in guild.text_channels} >= {"general", "welcome", "staff", "reviews"}
    assert guild.system_channel is not None and guild.system_channel.name == "general"
    assert {r.name for r in guild.roles} >= {"@everyone", "Moderator", "Staff", "Admin"}
    assert guild.member_count == len(guild.members) == 2
    assert guild.me.guild_permissions.manage_roles
    staff = guild.get_channel(int(emu.channel_id("staff")))
    assert isinstance(staff, discord.TextChannel)
    assert not staff.permissions_for(guild.default_role).view_channel
    assert emu.identify_count == 1
    assert any(frame["op"] == 1 for frame in emu.gateway_received)  # heartbeat (answered op 11)
    # the tree sync went out as a bulk overwrite
    assert {c["name"] for c in emu.registered_commands()} == {
        "review",
        "secret",
        "slow",
        "report",
        "feedback",
        "config",
    }
    assert emu.calls[0].path == "/users/@me"


async def test_member_join_reaches_on_member_join_and_welcome_dm(
    emu: DiscordEmulator, dpy: Bot
) -> None:
    user_id = await emu.member_join("alice")
    member = await next_item(dpy.joins)
    assert str(member.id) == user_id and member.name == "alice"
    dm = await emu.wait_for_dm(user_id)
    assert dm["content"] == "Welcome to Ponte Test Guild, alice!"
    assert "guild_id" not in dm
    await emu.wait_for_call("POST", r"/users/@me/channels")
    # Discord's own "alice joined" system message in the system channel
    system = emu.messages[emu.channel_id("general")][-1]
    assert system["type"] == 7 and system["author"]["id"] == user_id


# ---------------------------------------------------------------------- interactions


async def test_slash_command_then_button_press(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("bob")
    interaction = await emu.slash_command(user_id, "reviews", "review", locale="it")
    callback = await emu.wait_for_callback(interaction)
    assert callback["type"] == 4
    embed = callback["data"]["embeds"][0]
    assert embed["title"] == "Review me" and embed["fields"][0]["value"] == f"<@{user_id}>"
    row = callback["data"]["components"][0]
    assert row["type"] == 1 and row["components"][0]["custom_id"] == "review:approve"
    call = await emu.wait_for_call("POST", r"/interactions/\d+/[^/]+/callback")
    assert call.query["with_response"] in ("1", "true")

    # discord.py parsed the callback response's resource.message
    response = dpy.responses["review"]
    stored = emu.messages[emu.channel_id("reviews")][-1]
    assert response.message_id is not None and str(response.message_id) == stored["id"]
    assert isinstance(response.resource, discord.InteractionMessage)
    assert stored["interaction_metadata"]["name"] == "review"
    assert stored["type"] == 20 and stored["webhook_id"] == emu.application_id

    press = await emu.press_button(user_id, stored["id"], "review:approve")
    assert press.payload["message"]["id"] == stored["id"]
    callback = await emu.wait_for_callback(press)
    assert callback["type"] == 7
    message = emu.get_message(stored["id"])
    assert message["content"] == "Approved by bob"
    button = message["components"][0]["components"][0]
    assert button["disabled"] is True and button["label"] == "Approved"
    assert message["edited_timestamp"] is not None
    # the edit went out on the gateway as a full MESSAGE_UPDATE
    updates = [d for d in emu.dispatch_log if d.event == "MESSAGE_UPDATE"]
    assert updates[-1].payload["id"] == stored["id"]
    assert updates[-1].payload["guild_id"] == emu.guild_id
    with pytest.raises(LookupError):
        await emu.press_button(user_id, stored["id"], "review:approve")  # disabled now


async def test_persistent_view_handles_buttons_on_old_messages(
    emu: DiscordEmulator, dpy: Bot
) -> None:
    # A message the bot posted before a restart: only the persistent view (added with
    # client.add_view at startup, not bound to a message id) can answer its button.
    button = {"type": 2, "style": 3, "label": "Approve", "custom_id": "review:approve"}
    old = await emu.post_message(
        emu.bot_user_id,
        "reviews",
        "posted yesterday",
        components=[{"type": 1, "components": [button]}],
    )
    user_id = emu.add_user("lea")
    press = await emu.press_button(user_id, old["id"], "review:approve")
    assert (await emu.wait_for_callback(press))["type"] == 7
    assert emu.get_message(old["id"])["content"] == "Approved by lea"


async def test_ephemeral_reply_defer_and_followups(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("carol")
    general = emu.channel_id("general")

    secret = await emu.slash_command(user_id, general, "secret")
    callback = await emu.wait_for_callback(secret)
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    ephemeral = emu.get_message(secret.response_message_id or "")
    assert ephemeral["flags"] & EPHEMERAL
    created = [d.payload["id"] for d in emu.dispatch_log if d.event == "MESSAGE_CREATE"]
    assert ephemeral["id"] not in created  # ephemeral messages are never dispatched

    slow = await emu.slash_command(user_id, general, "slow")
    assert (await emu.wait_for_callback(slow))["type"] == 5
    await emu.wait_for_call("PATCH", r"/webhooks/\d+/[^/]+/messages/@original", timeout=5)
    original = emu.get_message(slow.response_message_id or "")
    assert original["content"] == "done thinking (edited)"
    assert not original["flags"] & LOADING
    assert len(slow.followup_ids) == 1
    psst = emu.get_message(slow.followup_ids[0])
    assert psst["content"] == "psst" and psst["flags"] & EPHEMERAL
    assert psst["interaction_metadata"]["original_response_message_id"] == original["id"]


async def test_modal_roundtrip(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("dave")
    opened = await emu.slash_command(user_id, "general", "feedback")
    callback = await emu.wait_for_callback(opened)
    assert callback["type"] == 9 and callback["data"]["custom_id"] == "feedback"
    submitted = await emu.submit_modal(
        user_id, "general", "feedback", {"feedback:text": "great bot"}
    )
    components = submitted.payload["data"]["components"]
    assert components[0]["type"] == 1
    assert components[0]["components"][0] == {
        "type": 4,
        "custom_id": "feedback:text",
        "value": "great bot",
    }
    reply = await emu.wait_for_callback(submitted)
    assert reply["data"]["content"] == "Thanks: great bot"


async def test_subcommand_options_are_typed_and_resolved(emu: DiscordEmulator, dpy: Bot) -> None:
    admin = emu.add_user("erin", is_admin=True)
    plain = emu.add_user("frank")
    interaction = await emu.slash_command(
        admin,
        "staff",
        "config",
        subcommand="set",
        options={"key": "welcome", "value": 3, "channel": "welcome", "member": plain},
        locale="it",
    )
    data = interaction.payload["data"]
    sub = data["options"][0]
    assert sub["type"] == 1 and sub["name"] == "set"
    assert {o["name"]: o["type"] for o in sub["options"]} == {
        "key": 3,
        "value": 4,
        "channel": 7,
        "member": 6,
    }
    assert plain in data["resolved"]["members"] and plain in data["resolved"]["users"]
    callback = await emu.wait_for_callback(interaction)
    assert callback["data"]["content"] == "welcome=3 in #welcome for frank (locale it)"
    # default_member_permissions (Manage Guild) is enforced like Discord's client does
    with pytest.raises(CommandNotAvailable):
        await emu.slash_command(
            plain,
            "general",
            "config",
            subcommand="set",
            options={"key": "k", "value": 1, "channel": "general"},
        )


async def test_dm_both_directions(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("gina")
    incoming = await emu.send_dm(user_id, "hello bot")
    message = await next_item(dpy.messages)
    assert isinstance(message.channel, discord.DMChannel)
    assert message.content == "hello bot" and message.guild is None
    assert str(message.id) == incoming["id"]

    user = await dpy.client.fetch_user(int(user_id))
    sent = await user.send("hello human")
    assert [m["content"] for m in emu.dm_messages_for(user_id)] == ["hello bot", "hello human"]
    assert emu.dm_messages_for(user_id)[-1]["id"] == str(sent.id)

    emu.close_dms(user_id)
    with pytest.raises(discord.Forbidden) as excinfo:
        await user.send("blocked")
    assert excinfo.value.code == 50007


async def test_rate_limited_post_is_retried_and_arrives_once(
    emu: DiscordEmulator, dpy: Bot
) -> None:
    channel = dpy.client.get_channel(int(emu.channel_id("general")))
    assert isinstance(channel, discord.TextChannel)
    emu.rate_limit_next("POST", r"/channels/\d+/messages", count=1, retry_after=0.05)
    sent = await channel.send("after a 429")
    posts = emu.calls_matching("POST", r"/channels/\d+/messages")
    assert [c.status for c in posts] == [429, 200]
    stored = [m for m in emu.messages[channel.id] if m["content"] == "after a 429"]
    assert len(stored) == 1 and stored[0]["id"] == str(sent.id)


async def test_message_content_needs_the_intent(emu: DiscordEmulator) -> None:
    harness = Bot(message_content=False)
    await harness.start(emu)
    try:
        user_id = emu.add_user("hank")
        await emu.post_message(user_id, "general", "secret words")
        message = await next_item(harness.messages)
        assert message.content == ""
        mention = await emu.post_message(user_id, "general", f"<@{emu.bot_user_id}> hi")
        message = await next_item(harness.messages)
        assert message.content == mention["content"] and harness.client.user in message.mentions
    finally:
        await harness.close()


# ---------------------------------------------------------------------- gateway resilience


async def test_resume_after_drop_delivers_missed_event_once(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("ivy")
    await emu.drop_gateway(resumable=True)
    missed = await emu.post_message(user_id, "general", "sent while you were away")
    await asyncio.wait_for(dpy.resumed.wait(), 5)
    message = await next_item(dpy.messages)
    assert str(message.id) == missed["id"]
    assert emu.resume_count == 1 and emu.identify_count == 1
    seq = next(d.seq for d in emu.dispatch_log if d.payload.get("id") == missed["id"])
    assert seq in emu.replayed_seqs
    await emu.wait_connected()
    after = await emu.post_message(user_id, "general", "live again")
    assert str((await next_item(dpy.messages)).id) == after["id"]
    await asyncio.sleep(0.2)
    assert dpy.messages.empty()  # nothing was delivered twice
    resume = [f for f in emu.gateway_received if f["op"] == 6]
    assert resume[0]["d"]["session_id"] and resume[0]["d"]["seq"] < seq


async def test_unresumable_drop_makes_the_client_identify_again(
    emu: DiscordEmulator, dpy: Bot
) -> None:
    await emu.drop_gateway(resumable=False, code=None)
    await emu.wait_until(lambda: emu.identify_count == 2, 10, what="a second IDENTIFY")
    await emu.wait_ready()
    user_id = await emu.member_join("jay")
    assert str((await next_item(dpy.joins)).id) == user_id
    await emu.wait_for_dm(user_id)  # let the welcome DM finish before the client closes
    assert emu.resume_count == 0


# ---------------------------------------------------------------------- raw protocol checks


async def test_raw_rest_errors_and_headers(emu: DiscordEmulator) -> None:
    auth = {"Authorization": f"Bot {emu.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{emu.api_url}/nope", headers=auth) as resp:
            assert resp.status == 404
            assert resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        async with http.get(f"{emu.api_url}/users/@me") as resp:
            assert resp.status == 401
        bad = [{"name": "Bad Name", "description": "x", "type": 1}]
        url = f"{emu.api_url}/applications/{emu.application_id}/commands"
        async with http.put(url, headers=auth, json=bad) as resp:
            body = await resp.json()
            assert resp.status == 400 and body["code"] == 50035 and "0" in body["errors"]
        emu.rate_limit_next("GET", "/users/@me")
        async with http.get(f"{emu.api_url}/users/@me", headers=auth) as resp:
            assert resp.status == 429 and resp.headers["Via"] == "1.1 google"
            assert json.loads(await resp.text())["retry_after"] == 0.05
    assert emu.calls[0].path == "/nope" and emu.calls[0].status == 404


async def test_files_are_uploaded_stored_and_served(emu: DiscordEmulator, dpy: Bot) -> None:
    channel = dpy.client.get_channel(int(emu.channel_id("general")))
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("see file", file=discord.File(io.BytesIO(b"hello"), "notes.txt"))
    call = emu.calls_matching("POST", r"/channels/\d+/messages")[-1]
    assert call.files == ["notes.txt"] and call.json["content"] == "see file"
    assert [a.filename for a in sent.attachments] == ["notes.txt"]
    assert await sent.attachments[0].read() == b"hello"  # served by the emulator's "CDN"

    interaction = await emu.slash_command(emu.owner_id, "general", "report")
    callback = await emu.wait_for_callback(interaction)
    assert callback["type"] == 4 and interaction.callback_files == ["report.csv"]
    stored = emu.get_message(interaction.response_message_id or "")
    attachment = stored["attachments"][0]
    assert attachment["filename"] == "report.csv"
    assert emu.file_bytes(attachment["id"]) == b"name,score\nalice,3\n"


async def test_auto_sharded_client_uses_gateway_bot() -> None:
    async with running_emulator(shard_count=2) as emu:
        client = discord.AutoShardedClient(
            intents=discord.Intents.default(), guild_ready_timeout=0.1
        )

        async def before_identify_hook(shard_id: int | None, *, initial: bool = False) -> None:
            """Skip discord.py's 5 s pause between shard IDENTIFYs."""

        client.before_identify_hook = before_identify_hook  # type: ignore[method-assign]
        task = asyncio.create_task(client.start(emu.token))
        try:
            await emu.wait_until(client.is_ready, 10, what="the sharded client to be ready")
            assert emu.calls_matching("GET", "/gateway/bot")
            assert client.shard_count == 2 and emu.identify_count == 2
            guild = client.get_guild(int(emu.guild_id))
            assert guild is not None and guild.shard_id == (int(emu.guild_id) >> 22) % 2
        finally:
            await client.close()
            await asyncio.wait_for(task, 5)


async def test_webhooks_execute_with_username(emu: DiscordEmulator, dpy: Bot) -> None:
    channel = dpy.client.get_channel(int(emu.channel_id("reviews")))
    assert isinstance(channel, discord.TextChannel)
    webhook = await channel.create_webhook(name="Ponte Relay")
    sent = await webhook.send("relayed", username="Mirror of alice", wait=True)
    stored = emu.get_message(sent.id)
    assert stored["webhook_id"] == str(webhook.id)
    assert stored["author"]["username"] == "Mirror of alice" and stored["author"]["bot"]
    execute = emu.calls_matching("POST", r"/webhooks/\d+/[^/]+")[-1]
    assert execute.json["username"] == "Mirror of alice" and execute.query["wait"] == "1"

    relayed = await next_item(dpy.messages)  # webhook messages come back as MESSAGE_CREATE too
    assert relayed.id == sent.id and relayed.webhook_id == webhook.id

    external = emu.create_webhook("general", name="GitHub")
    await emu.post_message(external["id"], "general", "new release", username="GitHub")
    message = await next_item(dpy.messages)
    assert message.webhook_id == int(external["id"]) and message.author.name == "GitHub"


async def test_role_changes_respect_the_hierarchy(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("kim")
    guild = dpy.client.get_guild(int(emu.guild_id))
    assert guild is not None
    member = await guild.fetch_member(int(user_id))
    staff = guild.get_role(int(emu.role_id("Staff")))
    assert staff is not None
    await member.add_roles(staff, reason="onboarding")
    assert emu.member_role_names(user_id) == ["Staff"]
    call = emu.calls_matching("PUT", r"/guilds/\d+/members/\d+/roles/\d+")[-1]
    assert call.reason == "onboarding" and call.status == 204
    assert any(d.event == "GUILD_MEMBER_UPDATE" for d in emu.dispatch_log)
    bot_role = guild.me.top_role  # the bot's own managed role: not assignable
    with pytest.raises(discord.Forbidden) as excinfo:
        await member.add_roles(bot_role)
    assert excinfo.value.code == 50013
    await member.remove_roles(staff)
    assert emu.member_role_names(user_id) == []


async def test_moderation_switches_threads_and_timeouts(emu: DiscordEmulator, dpy: Bot) -> None:
    user_id = emu.add_user("kim")
    posted = await emu.post_message(user_id, "general", "spam")
    channel = dpy.client.get_channel(int(emu.channel_id("general")))
    assert isinstance(channel, discord.TextChannel)
    await emu.set_bot_permission(Permission.MANAGE_MESSAGES, False)
    await emu.wait_until(
        lambda: not channel.permissions_for(channel.guild.me).manage_messages,
        what="the role update to reach the client",
    )
    with pytest.raises(discord.Forbidden):
        await channel.get_partial_message(int(posted["id"])).delete()
    await emu.set_bot_permission(Permission.MANAGE_MESSAGES, True)
    await channel.get_partial_message(int(posted["id"])).delete()
    assert emu.deleted_messages[-1]["id"] == posted["id"]
    assert any(d.event == "MESSAGE_DELETE" for d in emu.dispatch_log)

    thread_id = await emu.create_thread(user_id, "general", "Domande")
    thread = await emu.wait_until(
        lambda: channel.guild.get_thread(int(thread_id)), what="THREAD_CREATE"
    )
    webhook = await channel.create_webhook(name="Relay")
    sent = await webhook.send("in the thread", thread=thread, wait=True)
    assert emu.get_message(sent.id)["channel_id"] == thread_id
    with pytest.raises(discord.HTTPException):
        await webhook.send("nowhere", thread=discord.Object(id=1), wait=True)

    member = await channel.guild.fetch_member(int(user_id))
    with pytest.raises(discord.HTTPException) as too_long:
        await member.edit(timed_out_until=discord.utils.utcnow() + timedelta(days=29))
    assert too_long.value.status == 400
    until = datetime.now(UTC) + timedelta(days=1)
    await member.edit(timed_out_until=until)
    assert emu.timed_out_until(user_id) == until.isoformat()
