"""The discord.py client: one connection, or auto-sharded for large bots.

Gateway events go to a `Handlers` object (events.py and routing.py implement it), and every
button whose id looks like Ponte's (`cog:action:args`) reaches it through one dynamic
item registered at start: buttons on messages sent before a restart keep working.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Coroutine
from typing import Any, Protocol

import discord
import yarl

from bot.adapters.discord.render import ALLOWED_MENTIONS
from bot.config import Settings
from bot.core.errors import StartupError

log = logging.getLogger(__name__)
BUTTON_TEMPLATE = re.compile(r"[a-z][a-z0-9_]{0,31}:[A-Za-z0-9_-]+(?::[^:]*)*")
READY_TIMEOUT = 60.0


class StartError(StartupError):
    """Ponte could not connect to Discord; the message says what to fix."""


class Handlers(Protocol):
    """What the client hands the gateway's events and interactions to."""

    async def member_joined(self, member: discord.Member, /) -> None: ...

    async def member_left(self, payload: discord.RawMemberRemoveEvent, /) -> None: ...

    async def message_created(self, message: discord.Message, content: str, /) -> None: ...

    async def message_edited(self, payload: discord.RawMessageUpdateEvent, /) -> None: ...

    async def message_deleted(self, payload: discord.RawMessageDeleteEvent, /) -> None: ...

    async def messages_deleted(self, payload: discord.RawBulkMessageDeleteEvent, /) -> None: ...

    async def interaction(self, interaction: discord.Interaction, /) -> None: ...

    async def button(self, interaction: discord.Interaction, custom_id: str, /) -> None: ...


class PonteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_TEMPLATE):
    """Any Ponte button, on any message, however old: routed by its id to the core."""

    def __init__(self, custom_id: str) -> None:
        super().__init__(discord.ui.Button(custom_id=custom_id, label="…"))
        self.ponte_id = custom_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PonteButton:
        return cls(match.group(0))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if isinstance(client, _PonteEvents) and client.handlers is not None:
            await client.handling(client.handlers.button(interaction, self.ponte_id))


class _PonteEvents:
    """The gateway callbacks shared by the plain and the sharded client."""

    handlers: Handlers | None = None
    identify_delay: float = 5.0
    member_cache_limit = 0  # see `keep_members`
    _busy: set[asyncio.Task[Any]]
    _posted: dict[int, str]

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        if event == "message" and args and isinstance(args[0], discord.Message):
            # discord.py applies an edit to the cached message as soon as it arrives, and
            # `on_message` runs later: keep the text as posted, or a quick edit would be
            # taken for the post itself.
            if not hasattr(self, "_posted"):
                self._posted = {}
            self._posted[args[0].id] = args[0].content
        super().dispatch(event, *args, **kwargs)  # type: ignore[misc]

    async def handling(self, work: Coroutine[Any, Any, None]) -> None:
        """Run one handler, known to be running until it ends (see `drain`)."""
        if not hasattr(self, "_busy"):
            self._busy = set()
        task = asyncio.current_task()
        if task is not None:
            self._busy.add(task)
        try:
            await work
        finally:
            if task is not None:
                self._busy.discard(task)

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109 - a grace period
        """Give the handlers still running `timeout` seconds to finish (a clean stop)."""
        running: set[asyncio.Task[Any]] = getattr(self, "_busy", set())
        busy = running - {asyncio.current_task()}
        if busy:
            await asyncio.wait(busy, timeout=timeout)

    async def setup_hook(self) -> None:
        assert isinstance(self, discord.Client)
        self.add_dynamic_items(PonteButton)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py waits 5 s before every IDENTIFY but the first (Discord's limit).
        if not initial and self.identify_delay:
            await asyncio.sleep(self.identify_delay)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        # A server that adds the bot later is kept in memory as one there at the start.
        if _kept_whole(guild, self.member_cache_limit):
            await guild.chunk()

    async def on_member_join(self, member: discord.Member) -> None:
        if self.handlers is not None:
            await self.handling(self.handlers.member_joined(member))

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        if self.handlers is not None:
            await self.handling(self.handlers.member_left(payload))

    async def on_message(self, message: discord.Message) -> None:
        posted = getattr(self, "_posted", {}).pop(message.id, message.content)
        if self.handlers is not None:
            await self.handling(self.handlers.message_created(message, posted))

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if self.handlers is not None:
            await self.handling(self.handlers.message_edited(payload))

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if self.handlers is not None:
            await self.handling(self.handlers.message_deleted(payload))

    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        if self.handlers is not None:
            await self.handling(self.handlers.messages_deleted(payload))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if self.handlers is not None:
            await self.handling(self.handlers.interaction(interaction))

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("discord event handler failed", extra={"event": event_method})


class PonteClient(_PonteEvents, discord.Client):
    pass


class PonteShardedClient(_PonteEvents, discord.AutoShardedClient):
    pass


def intents() -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.members = True  # privileged: "Server Members Intent"
    chosen.message_content = True  # privileged: "Message Content Intent"
    chosen.guild_messages = True
    chosen.dm_messages = True
    return chosen


def shard_count(setting: str) -> tuple[bool, int | None]:
    """DISCORD_SHARDS: "" one connection; "auto" as Discord recommends; or a number."""
    value = setting.strip().lower()
    if not value:
        return False, None
    if value == "auto":
        return True, None
    count = int(value)
    if count < 1:
        raise ValueError("DISCORD_SHARDS must be 'auto' or a number of at least 1")
    return True, count


def shard_plan(settings: Settings) -> tuple[bool, int | None, list[int] | None]:
    """Whether to shard, the total of shards (None: as Discord recommends) and the shards
    this process runs (None: all of them). DISCORD_SHARD_IDS splits one bot across
    processes: each runs its own shards of DISCORD_SHARD_COUNT, and Discord sends each
    shard the events of its guilds only ((guild_id >> 22) % count), DMs to shard 0."""
    if settings.discord_shard_count is not None:
        return True, settings.discord_shard_count, list(settings.shard_ids) or None
    sharded, count = shard_count(settings.discord_shards)
    return sharded, count, None


def point_at(settings: Settings) -> None:
    """Aim discord.py at DISCORD_API_URL and DISCORD_GATEWAY_URL (a REST proxy, or a test
    emulator). These are process-wide class attributes of discord.py: set at every start,
    never restored, so one process talks to one Discord."""
    discord.http.Route.BASE = settings.discord_api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def build_client(
    settings: Settings,
    handlers: Handlers,
    *,
    guild_ready_timeout: float = 0.5,
    identify_delay: float = 5.0,
) -> discord.Client:
    sharded, count, ids = shard_plan(settings)
    # Ponte never joins a voice channel: no warning about voice libraries it does not need.
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    options: dict[str, Any] = {
        "intents": intents(),
        "allowed_mentions": ALLOWED_MENTIONS,
        "guild_ready_timeout": guild_ready_timeout,
        # Chunked guild by guild once connected (see `keep_members`), never all at start.
        "chunk_guilds_at_startup": False,
        # Ponte reads edits and deletions from the raw events and never a cached message:
        # discord.py's store of the last 1,000 messages would be memory held for nothing.
        "max_messages": None,
    }
    if ids is not None:
        options["shard_ids"] = ids
    client: PonteClient | PonteShardedClient = (
        PonteShardedClient(shard_count=count, **options) if sharded else PonteClient(**options)
    )
    client.handlers = handlers
    client.identify_delay = identify_delay
    # A sharded bot is a large one: it fetches members when it needs them.
    client.member_cache_limit = 0 if sharded else settings.discord_member_cache_limit
    return client


async def keep_members(client: discord.Client, limit: int) -> None:
    """Every member in memory for each server of at most `limit` members, so that names
    resolve at once; a larger server's members are fetched when needed instead."""
    small = [guild for guild in client.guilds if not guild.chunked and _kept_whole(guild, limit)]
    await asyncio.gather(*(guild.chunk() for guild in small))


def _kept_whole(guild: discord.Guild, limit: int) -> bool:
    return guild.member_count is not None and guild.member_count <= limit


async def connect(client: discord.Client, token: str) -> asyncio.Task[None]:
    """Log in and connect; return the running task once the client is ready. A sharded
    client connects its shards 5 s apart, as Discord asks: it may take long, and is given
    the time it takes unless it fails."""
    task = asyncio.create_task(client.start(token), name="discord-client")
    loop = asyncio.get_running_loop()
    sharded = isinstance(client, discord.AutoShardedClient)
    deadline = loop.time() + READY_TIMEOUT
    while not client.is_ready():
        if task.done():
            error = None if task.cancelled() else task.exception()
            raise StartError(_explain(error)) from error
        if not sharded and loop.time() > deadline:
            await disconnect(client, task)
            raise StartError(f"Discord did not get ready within {READY_TIMEOUT:.0f} s")
        await asyncio.sleep(0.02)
    await keep_members(client, getattr(client, "member_cache_limit", 0))
    return task


def _explain(error: BaseException | None) -> str:
    if isinstance(error, discord.LoginFailure):
        return "Discord refused DISCORD_TOKEN: copy the bot token again (Bot → Reset Token)"
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return (
            "Discord refused the intents: turn on Server Members Intent and Message Content "
            "Intent in the Developer Portal (Bot → Privileged Gateway Intents)"
        )
    if error is None:
        return "the Discord connection closed before it was ready"
    return f"could not connect to Discord: {error}"


async def disconnect(
    client: discord.Client, task: asyncio.Task[None] | None, *, grace: float = 5.0
) -> None:
    """Let running handlers finish (they may still write to the database), then close."""
    if isinstance(client, _PonteEvents):
        await client.drain(grace)
    await client.close()
    if task is not None and not task.done():
        try:
            await asyncio.wait_for(task, 10)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    elif task is not None and not task.cancelled() and task.exception() is not None:
        log.warning("discord client had stopped with an error", exc_info=task.exception())
