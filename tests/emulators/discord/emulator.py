"""``DiscordEmulator``: the public face used by tests."""

from __future__ import annotations

import base64
import secrets
import socket
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from aiohttp import web

from .commands import CommandStore
from .constants import MessageType
from .gateway import Gateway
from .interactions import InteractionRecord
from .messages import validate_message_body
from .models import Channel, Guild, UploadedFile, Webhook
from .moderation import ModerationControls
from .observe import Observation
from .responses import Interactions
from .rest import RestApi
from .routes_messages import serve_attachment
from .routes_webhooks import check_room, check_webhook_name
from .state import Author, EmulatorState

JSON = dict[str, Any]
ChannelRef = str | int
AttachmentSpec = str | tuple[str, bytes]


def _fake_token(bot_id: str) -> str:
    head = base64.b64encode(bot_id.encode()).decode().rstrip("=")
    return f"{head}.{secrets.token_urlsafe(4)}.{secrets.token_urlsafe(27)}"


class DiscordEmulator(ModerationControls, Observation):
    """A local Discord (REST v10 + gateway) for one bot application and one guild.

    The default guild has categories *Community* (#general - the system channel -, #welcome
    where only the bot may post, #reviews) and *Team* (#staff, visible to Staff, Moderator,
    Admin and the bot), roles @everyone, Staff, Moderator, Admin (Manage Guild) and the bot's
    managed role (top), the bot member and an ``owner`` member (guild owner, Admin role).
    """

    def __init__(
        self,
        *,
        bot_name: str = "Ponte",
        guild_name: str = "Ponte Test Guild",
        guild_locale: str = "en-US",
        privileged_intents: Iterable[str] = ("members", "presences", "message_content"),
        shard_count: int = 1,
        heartbeat_interval: int = 41250,
        callback_deadline: float | None = 3.0,
        host: str = "127.0.0.1",
    ) -> None:
        self.host = host
        state = EmulatorState(
            token="",
            bot_name=bot_name,
            guild_name=guild_name,
            privileged_intents=privileged_intents,
            guild_locale=guild_locale,
        )
        state.token = _fake_token(state.bot_user_id)
        commands = CommandStore(state.application_id, state.ids.next)
        gateway = Gateway(state, heartbeat_interval=heartbeat_interval)
        interactions = Interactions(state, commands, callback_deadline=callback_deadline)
        rest = RestApi(state, gateway, commands, interactions, shard_count=shard_count)
        state.emit = gateway.dispatch
        super().__init__(state, commands, gateway, interactions, rest)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", r"/api/v{version:\d+}/{path:.*}", self._rest.handle)
        app.router.add_get("/", self._gateway.handle)
        app.router.add_get("/resume", self._gateway.handle)

        async def attachment(request: web.Request) -> web.StreamResponse:
            return await serve_attachment(self._state, request)

        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", attachment)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()
        self._state.base_url = f"http://{self.host}:{self.port}"
        self._gateway.url = f"ws://{self.host}:{self.port}/"

    async def stop(self) -> None:
        await self._gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------ identity

    @property
    def api_url(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` (and ``GET /gateway/bot``)."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def token(self) -> str:
        """The bot token: REST wants ``Authorization: Bot <token>``, IDENTIFY the bare token."""
        return self._state.token

    @property
    def guild_id(self) -> str:
        return self._state.guild_id

    @property
    def application_id(self) -> str:
        return self._state.application_id

    @property
    def owner_id(self) -> str:
        return self._state.owner_id

    # ------------------------------------------------------------------ world setup

    def add_user(
        self,
        name: str,
        roles: Iterable[str | int] = (),
        is_admin: bool = False,
        *,
        bot: bool = False,
        global_name: str | None = None,
        locale: str = "en-US",
        in_guild: bool = True,
    ) -> str:
        """Create a user and (silently, no event) make them a guild member. Returns the id.

        ``roles``: role names or ids.  ``is_admin``: also give the Admin role (Manage Guild).
        """
        user = self._state.add_user(name, global_name=global_name, bot=bot, locale=locale)
        if in_guild:
            wanted = list(roles) + (["Admin"] if is_admin else [])
            self._state.add_member(self._state.guild, user.id, wanted)
        return user.id

    def add_guild(
        self, name: str, *, locale: str = "en-US", shard: tuple[int, int] | None = None
    ) -> str:
        """Another guild like the default one (before the bot connects); its id. With
        ``shard=(shard_id, shard_count)`` its id falls on that shard."""
        return self._state.add_guild(name, locale=locale, shard=shard).id

    def add_channel(
        self,
        name: str,
        *,
        private_to: Iterable[str] = (),
        topic: str | None = None,
        guild_id: str | None = None,
    ) -> str:
        """Create a guild text channel without an event (before the bot connects)."""
        guild = self._guild(guild_id)
        return self._state.add_text_channel(
            name, private_to=private_to, topic=topic, guild=guild
        ).id

    def _guild(self, guild_id: str | None) -> Guild:
        return self._state.guild if guild_id is None else self._state.guild_by_id(guild_id)

    def channel_by_name(self, name: str, *, guild_id: str | None = None) -> JSON:
        channel = self._guild(guild_id).channel_by_name(name)
        if channel is None:
            raise KeyError(f"no channel named {name!r}")
        return self._state.channel_payload(channel)

    def channel_id(self, name: str, *, guild_id: str | None = None) -> str:
        return str(self.channel_by_name(name, guild_id=guild_id)["id"])

    def role_by_name(self, name: str) -> JSON:
        role = self._state.guild.role_by_name(name)
        if role is None:
            raise KeyError(f"no role named {name!r}")
        return role.payload()

    def role_id(self, name: str) -> str:
        return str(self.role_by_name(name)["id"])

    def user(self, user_id: str | int) -> JSON:
        return self._state.user(user_id).payload()

    def member(self, user_id: str | int) -> JSON | None:
        """The guild member object (with ``user``), or None if not a member."""
        member = self._state.guild.members.get(str(user_id))
        return None if member is None else self._state.member_payload(self._state.guild, member)

    def member_role_names(self, user_id: str | int) -> list[str]:
        member = self._state.guild.members.get(str(user_id))
        roles = self._state.guild.roles
        return [] if member is None else [roles[r].name for r in member.roles if r in roles]

    def close_dms(self, user_id: str | int) -> None:
        """The user blocks DMs: the bot's DM sends get 403 (code 50007)."""
        self._state.closed_dms.add(str(user_id))

    def create_webhook(self, channel: ChannelRef, name: str = "Captain Hook") -> JSON:
        """A webhook (not owned by the app) to post messages as, e.g. from an integration."""
        target = self._state.resolve_channel(channel)
        check_webhook_name("name", name)
        check_room(self._state, target.id)
        webhook = Webhook(
            id=self._state.ids.next(),
            token=self._state.new_token(),
            channel_id=target.id,
            guild_id=target.guild_id or "",
            name=name,
            creator_id=self._state.owner_id,
            application_id=None,
        )
        self._state.webhooks[webhook.id] = webhook
        return self._state.webhook_payload(webhook)

    # ------------------------------------------------------------------ user-side events

    async def member_join(
        self,
        name: str,
        *,
        roles: Iterable[str | int] = (),
        global_name: str | None = None,
        locale: str = "en-US",
        bot: bool = False,
        system_message: bool = True,
        user_id: str | int | None = None,
        guild_id: str | None = None,
    ) -> str:
        """A (new, or returning with ``user_id``) user joins: GUILD_MEMBER_ADD, and the
        "X joined" system message (type 7) in the system channel like Discord posts.
        ``guild_id``: another guild than the default one."""
        state = self._state
        guild = self._guild(guild_id)
        if user_id is None:
            uid = state.add_user(name, global_name=global_name, bot=bot, locale=locale).id
        else:
            uid = state.user(user_id).id
            if uid in guild.members:
                raise ValueError(f"user {uid} is already a member")
        member = state.add_member(guild, uid, roles)
        state.emit(
            "GUILD_MEMBER_ADD",
            {**state.member_payload(guild, member), "guild_id": guild.id},
            guild.id,
        )
        if system_message and guild.system_channel_id:
            state.create_message(
                state.channel(guild.system_channel_id),
                Author(user_id=uid),
                {"content": ""},
                msg_type=int(MessageType.USER_JOIN),
            )
        await self._settle()
        return uid

    async def member_leave(self, user_id: str | int) -> None:
        """The member leaves the guild: GUILD_MEMBER_REMOVE."""
        self._state.remove_member(self._state.guild, str(user_id))
        await self._settle()

    async def update_member(
        self,
        user_id: str | int,
        *,
        roles: Iterable[str | int] | None = None,
        nick: str | None = None,
    ) -> JSON:
        """Change a member from outside the bot (e.g. an admin edits roles): GUILD_MEMBER_UPDATE."""
        guild = self._state.guild
        member = self._state.member(guild, user_id)
        if roles is not None:
            member.roles = [self._state.resolve_role(guild, r).id for r in roles]
        if nick is not None:
            member.nick = nick or None
        self._state.emit_member_update(guild, member)
        await self._settle()
        return self._state.member_payload(guild, member)

    def _user_message_body(
        self,
        content: str,
        embeds: list[JSON] | None,
        components: list[JSON] | None,
        reply_to: str | int | None,
        attachments: Iterable[AttachmentSpec] | None,
    ) -> tuple[JSON, list[UploadedFile]]:
        body: JSON = {"content": content}
        if embeds:
            body["embeds"] = embeds
        if components:
            body["components"] = components
        if reply_to is not None:
            body["message_reference"] = {"message_id": str(reply_to)}
        files: list[UploadedFile] = []
        for index, spec in enumerate(attachments or []):
            filename, data = (spec, b"emulated attachment") if isinstance(spec, str) else spec
            files.append(
                UploadedFile(f"files[{index}]", filename, "application/octet-stream", data)
            )
        validate_message_body(body, creating=True, file_count=len(files))
        return body, files

    async def post_message(
        self,
        user_id: str | int,
        channel_id: ChannelRef,
        content: str = "",
        *,
        embeds: list[JSON] | None = None,
        components: list[JSON] | None = None,
        reply_to: str | int | None = None,
        attachments: Iterable[AttachmentSpec] | None = None,
        username: str | None = None,
    ) -> JSON:
        """Someone posts in a channel: MESSAGE_CREATE.  Returns the stored message.

        ``user_id`` may be a user (member, bot user) or a webhook id from
        :meth:`create_webhook` (then ``username`` overrides the display name).
        ``channel_id`` may be an id or a channel name (``"general"``).
        """
        state = self._state
        channel = state.resolve_channel(channel_id)
        body, files = self._user_message_body(content, embeds, components, reply_to, attachments)
        webhook = state.webhooks.get(str(user_id))
        if webhook is not None:
            author = Author(user_id=webhook.id, webhook=webhook, username=username)
        else:
            uid = state.user(user_id).id
            self._check_author_can_post(uid, channel)
            author = Author(user_id=uid)
        msg = state.create_message(channel, author, body, files)
        await self._settle()
        return msg

    def _check_author_can_post(self, user_id: str, channel: Channel) -> None:
        if channel.is_dm:
            if channel.recipient_id != user_id:
                raise ValueError(f"user {user_id} is not the recipient of DM {channel.id}")
            return
        guild = self._state.guild_of(channel)
        if guild is not None and user_id not in guild.members:
            raise ValueError(f"user {user_id} is not a member of guild {guild.id}")

    async def send_dm(
        self,
        user_id: str | int,
        content: str,
        *,
        embeds: list[JSON] | None = None,
        attachments: Iterable[AttachmentSpec] | None = None,
    ) -> JSON:
        """The user writes to the bot in DMs: MESSAGE_CREATE without guild_id."""
        channel = self._state.dm_channel(self._state.user(user_id).id)
        return await self.post_message(
            user_id, channel.id, content, embeds=embeds, attachments=attachments
        )

    async def edit_message(
        self,
        message_id: str | int,
        *,
        content: str | None = None,
        embeds: list[JSON] | None = None,
        components: list[JSON] | None = None,
    ) -> JSON:
        """A user's message is edited: MESSAGE_UPDATE (full message). ``None`` = unchanged."""
        msg = self._state.message(message_id)
        body: JSON = {}
        if content is not None:
            body["content"] = content
        if embeds is not None:
            body["embeds"] = embeds
        if components is not None:
            body["components"] = components
        validate_message_body(body, creating=False, existing=msg)
        self._state.edit_message(msg, body)
        await self._settle()
        return msg

    async def delete_message(self, message_id: str | int) -> None:
        """A message is deleted by its author or a moderator: MESSAGE_DELETE."""
        self._state.delete_message(self._state.message(message_id))
        await self._settle()

    async def add_reaction(self, user_id: str | int, message_id: str | int, emoji: str) -> None:
        """``emoji``: a unicode emoji or ``"name:id"``.  MESSAGE_REACTION_ADD."""
        msg = self._state.message(message_id)
        self._state.add_reaction(msg, self._state.user(user_id).id, self._state.parse_emoji(emoji))
        await self._settle()

    async def remove_reaction(self, user_id: str | int, message_id: str | int, emoji: str) -> None:
        msg = self._state.message(message_id)
        self._state.remove_reaction(
            msg, self._state.user(user_id).id, self._state.parse_emoji(emoji)
        )
        await self._settle()

    # ------------------------------------------------------------------ interactions

    async def slash_command(
        self,
        user_id: str | int,
        channel_id: ChannelRef,
        name: str,
        options: Mapping[str, Any] | None = None,
        subcommand: str | None = None,
        locale: str | None = None,
        *,
        enforce_permissions: bool = True,
    ) -> InteractionRecord:
        """Invoke a registered CHAT_INPUT command: INTERACTION_CREATE type 2.

        ``options``: ``{name: value}``; values are checked and typed against the registered
        schema (users/channels/roles by id, channels also by name, roles also by name,
        attachments as a filename or ``(filename, bytes)``); resolved data is added.
        ``subcommand``: ``"sub"`` or ``"group sub"``.  ``locale`` defaults to the user's.
        Raises ``CommandNotAvailable`` where the real client would not let the user invoke
        it (not registered, lacking ``default_member_permissions``, wrong context...).
        """
        channel = self._state.resolve_channel(channel_id)
        record = self._interactions.command(
            self._state.user(user_id).id,
            channel,
            name,
            options=options,
            subcommand=subcommand,
            locale=locale,
            enforce_permissions=enforce_permissions,
        )
        return await self._send_interaction(record)

    async def autocomplete(
        self,
        user_id: str | int,
        channel_id: ChannelRef,
        name: str,
        options: Mapping[str, Any],
        focused: str,
        subcommand: str | None = None,
    ) -> InteractionRecord:
        """User is typing option ``focused``: INTERACTION_CREATE type 4 (answer: callback 8)."""
        channel = self._state.resolve_channel(channel_id)
        record = self._interactions.command(
            self._state.user(user_id).id,
            channel,
            name,
            options=options,
            subcommand=subcommand,
            focused=focused,
        )
        return await self._send_interaction(record)

    async def context_menu(
        self, user_id: str | int, channel_id: ChannelRef, name: str, target_id: str | int
    ) -> InteractionRecord:
        """A USER (target: user id) or MESSAGE (target: message id) command."""
        channel = self._state.resolve_channel(channel_id)
        record = self._interactions.context_menu(
            self._state.user(user_id).id, channel, name, str(target_id)
        )
        return await self._send_interaction(record)

    async def press_button(
        self,
        user_id: str | int,
        message_id: str | int,
        custom_id: str,
        *,
        locale: str | None = None,
    ) -> InteractionRecord:
        """Click a button on a stored message: INTERACTION_CREATE type 3 with ``message``."""
        msg = self._state.message(message_id)
        record = self._interactions.component(
            self._state.user(user_id).id, msg, custom_id, locale=locale
        )
        return await self._send_interaction(record)

    async def select_menu(
        self, user_id: str | int, message_id: str | int, custom_id: str, values: list[str]
    ) -> InteractionRecord:
        """Pick ``values`` in a select menu on a stored message (type 3, with ``values``)."""
        msg = self._state.message(message_id)
        record = self._interactions.component(
            self._state.user(user_id).id, msg, custom_id, values=[str(v) for v in values]
        )
        return await self._send_interaction(record)

    async def submit_modal(
        self,
        user_id: str | int,
        channel_id: ChannelRef,
        custom_id: str,
        values: Mapping[str, str | list[str]],
        *,
        locale: str | None = None,
    ) -> InteractionRecord:
        """Submit a modal: INTERACTION_CREATE type 5.

        If the bot opened a modal with this ``custom_id`` for this user (callback type 9),
        the submitted components mirror its layout (action rows or labels) and required/
        length constraints are enforced; otherwise one action row per value is sent.
        """
        channel = self._state.resolve_channel(channel_id)
        record = self._interactions.modal_submit(
            self._state.user(user_id).id, channel, custom_id, values, locale=locale
        )
        return await self._send_interaction(record)

    async def _send_interaction(self, record: InteractionRecord) -> InteractionRecord:
        self._state.emit("INTERACTION_CREATE", record.payload, record.guild_id)
        await self._settle()
        return record
