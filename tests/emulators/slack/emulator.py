"""``SlackEmulator``: a local Slack (Web API + Socket Mode + HTTP-mode deliveries).

Point an unmodified slack-bolt ``AsyncApp`` at it with
``AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)``; use
``AsyncSocketModeHandler(app, emu.app_token)`` for Socket Mode, or set
``emu.transport = "http"`` and ``emu.http_target`` to the app's request URL.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from aiohttp import web

from . import payloads
from .blocks import iter_elements, reused_block_ids, validate_message_blocks, validate_view
from .http_mode import USER_AGENT, encode_body, join_url, post, signed_headers
from .records import (
    Ack,
    ApiCall,
    Delivery,
    EnvelopeType,
    OpenedView,
    ResponseUrlPost,
    Sparse,
    Transport,
)
from .socket_mode import SocketModeServer
from .state import Conversation, IdFactory, UploadedFile, User, Usergroup, Workspace
from .unfurls import unfurl_links
from .web_api import WebApi

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "channels:join",
    "channels:manage",
    "channels:read",
    "chat:write",
    "chat:write.customize",
    "commands",
    "files:read",
    "files:write",
    "groups:history",
    "groups:read",
    "groups:write",
    "im:history",
    "im:read",
    "im:write",
    "mpim:read",
    "mpim:write",
    "reactions:write",
    "team:read",
    "usergroups:read",
    "users:read",
    "users:read.email",
)
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL = 30 * 60


@dataclass
class _ResponseTarget:
    kind: str
    user_id: str
    channel_id: str
    message_ts: str | None = None
    is_ephemeral: bool = False
    uses: int = 0
    created: float = field(default_factory=time.monotonic)


class SlackEmulator:
    """One Slack workspace with the app installed, served on 127.0.0.1."""

    def __init__(
        self,
        signing_secret: str = "emulator-signing-secret",
        *,
        team_name: str = "Ponte Test",
        team_domain: str = "ponte-test",
        bot_name: str = "ponte",
        transport: Transport = "socket",
        http_target: str | None = None,
        bot_scopes: tuple[str, ...] | list[str] | None = None,
        echo_own_events: bool = False,
        trigger_ttl: float = 3.0,
        delivery_timeout: float = 10.0,
    ) -> None:
        self.signing_secret = signing_secret
        self.verification_token = secrets.token_hex(12)
        self.workspace = Workspace(team_name=team_name, team_domain=team_domain, bot_name=bot_name)
        ws = self.workspace
        self.bot_token = (
            f"xoxb-{secrets.randbelow(10**12)}-{secrets.randbelow(10**12)}-{secrets.token_hex(12)}"
        )
        self.app_token = f"xapp-1-{ws.app_id}-{secrets.randbelow(10**12)}-{secrets.token_hex(32)}"
        self.user_tokens: dict[str, str] = {}  # xoxp- token -> the user it acts as
        self.downloads: list[str] = []  # ids of the files the app downloaded
        self.transport: Transport = transport
        self.http_target = http_target
        # Slack configures one URL per feature; unset kinds fall back to http_target.
        self.http_targets: dict[str, str] = {}
        self.bot_scopes: list[str] = list(
            bot_scopes if bot_scopes is not None else DEFAULT_BOT_SCOPES
        )
        self.echo_own_events = echo_own_events
        self.trigger_ttl = trigger_ttl
        self.delivery_timeout = delivery_timeout
        self.page_size_cap: int | None = None
        # Slack's documented examples carry less than its live payloads often do: a click's
        # `container` without `message_ts` and `channel_id` (the `message` and `channel`
        # say them), a `message_changed` without `previous_message`. "alternate" leaves
        # them out of every other payload of each kind, the first included; "always" and
        # "never" pin it.
        self.sparse_payloads: Sparse = "alternate"
        self._sparse_counts: dict[str, int] = {}

        self.calls: list[ApiCall] = []
        self.deliveries: list[Delivery] = []
        self.acks: list[Ack] = []
        self.responses: list[ResponseUrlPost] = []
        self.views: dict[str, OpenedView] = {}
        self.views_opened: list[OpenedView] = []
        self.home_tabs: dict[str, OpenedView] = {}
        self.problems: list[str] = []

        self._rate_limits: dict[str, list[int]] = {}
        self._waiters: set[asyncio.Future[None]] = set()
        self._pending_acks: dict[str, Delivery] = {}
        self._response_urls: dict[str, _ResponseTarget] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0
        self._api = WebApi(self)
        self._socket = SocketModeServer(self)

    # ------------------------------------------------------------------ life

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.add_routes(self._api.routes())
        app.add_routes(self._socket.routes())
        app.add_routes(
            [
                web.post("/commands/{team}/{id}/{secret}", self._handle_response_url),
                web.post("/actions/{team}/{id}/{secret}", self._handle_response_url),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._socket.close()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for fut in self._waiters:
            if not fut.done():
                fut.cancel()

    async def __aenter__(self) -> SlackEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------ addresses

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """Give this to ``AsyncWebClient(base_url=...)`` (it ends with a slash)."""
        return f"{self.base_url}/api/"

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def team_domain(self) -> str:
        return self.workspace.team_domain

    @property
    def app_id(self) -> str:
        return self.workspace.app_id

    @property
    def bot_id(self) -> str:
        return self.workspace.bot_id

    @property
    def bot_user_id(self) -> str:
        return self.workspace.bot_user.id

    @property
    def admin_user_id(self) -> str:
        return self.workspace.admin.id

    # --------------------------------------------------------------- state

    @property
    def messages(self) -> dict[str, list[dict[str, Any]]]:
        """``channel_id -> [message, ...]`` in posting order (thread replies included)."""
        return self.workspace.messages

    @property
    def ephemerals(self) -> list[dict[str, Any]]:
        """Ephemeral messages: ``channel``, ``user``, ``ts``, ``text``, ``blocks``, ``source``."""
        return self.workspace.ephemerals

    @property
    def users(self) -> dict[str, User]:
        return self.workspace.users

    @property
    def files(self) -> dict[str, UploadedFile]:
        return self.workspace.files

    def add_user(
        self,
        name: str,
        is_admin: bool = False,
        channels: list[str] | None = None,
        **profile: Any,
    ) -> str:
        """Create a member (no event). Everyone is in #general, plus ``channels``."""
        return self.workspace.add_user(name, is_admin=is_admin, channels=channels, **profile).id

    def add_channel(
        self,
        name: str,
        *,
        is_private: bool = False,
        members: list[str] | None = None,
        bot_member: bool = True,
    ) -> str:
        conv = self.workspace.add_conversation(
            name, is_private=is_private, members=list(members or [])
        )
        for user_id in (self.admin_user_id, *([self.bot_user_id] if bot_member else [])):
            if user_id not in conv.members:
                conv.members.append(user_id)
        return conv.id

    def user_token(self, user_id: str) -> str:
        """An OAuth user token (``xoxp-``) that acts as ``user_id``."""
        token = f"xoxp-{secrets.randbelow(10**12)}-{user_id}-{secrets.token_hex(12)}"
        self.user_tokens[token] = user_id
        return token

    def add_usergroup(
        self, handle: str, users: list[str], name: str | None = None, *, disabled: bool = False
    ) -> str:
        """A user group (``@handle``) the workspace's admin made; returns its ``S…`` id."""
        ws = self.workspace
        group_id = ws.ids.new("S")
        ws.usergroups[group_id] = Usergroup(
            id=group_id,
            team_id=ws.team_id,
            handle=handle,
            name=name or handle,
            users=list(users),
            disabled=disabled,
            created_by=ws.admin.id,
        )
        return group_id

    def channel_id(self, name: str) -> str:
        return self.workspace.by_name(name).id

    def user_id(self, name: str) -> str:
        user = self.workspace.find_user(name)
        if user is None:
            raise KeyError(f"no user {name!r}")
        return user.id

    def dm_channel(self, user_id: str) -> str:
        """The id (``D...``) of the DM between ``user_id`` and the bot."""
        return self.workspace.im_with(user_id).id

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        """Messages the bot posted in its DM with ``user_id``."""
        conv = self.workspace.existing_im(user_id)
        if conv is None:
            return []
        return [m for m in self.messages.get(conv.id, []) if m.get("bot_id") == self.bot_id]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        return self.workspace.find_message(self._conv(channel).id, ts)

    def channel_members(self, channel: str) -> list[str]:
        return list(self._conv(channel).members)

    # --------------------------------------------------------------- calls

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def mark(self) -> int:
        """Index to pass as ``since=`` to only consider later calls."""
        return len(self.calls)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        since: int = 0,
    ) -> ApiCall:
        """First recorded call (index >= ``since``) to ``method`` matching ``predicate``."""

        def find() -> ApiCall | None:
            for call in self.calls[since:]:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        return await self.wait_for(find, timeout=timeout, what=f"a {method} call")

    def rate_limit_next(self, method: str, count: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``count`` calls to ``method`` with HTTP 429 + ``Retry-After``."""
        self._rate_limits[method] = [count, retry_after]

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "condition",
    ) -> T:
        """Wait until ``predicate()`` returns something truthy, and return it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.add(fut)
            try:
                await asyncio.wait_for(fut, min(remaining, 0.25))
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(fut)

    # --------------------------------------------------------- socket mode

    @property
    def socket_connections(self) -> int:
        """Currently open Socket Mode connections."""
        return len(self._socket.open_connections)

    @property
    def socket_connection_count(self) -> int:
        """Socket Mode connections accepted since start (reconnects included)."""
        return self._socket.connection_count

    async def wait_for_connection(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        await self._socket.wait_for_connection(within=timeout)

    def drop_socket(self, graceful: bool = False) -> asyncio.Task[None]:
        """Close the Socket Mode connection(s); the client reconnects through
        ``apps.connections.open``. ``graceful=True`` sends a ``disconnect``
        (``refresh_requested``) frame instead of closing."""
        return self._socket.drop(graceful=graceful)

    # ----------------------------------------------------------- http mode

    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        """``X-Slack-Request-Timestamp`` and ``X-Slack-Signature`` headers for ``body``."""
        return signed_headers(self.signing_secret, body, timestamp)

    async def deliver_http(self, path: str, body: bytes, headers: dict[str, str]) -> Delivery:
        """POST ``body`` with exactly ``headers`` to ``path`` on the app's host."""
        if not self.http_target and not path.startswith("http"):
            raise RuntimeError("set emu.http_target first")
        url = join_url(self.http_target or path, path)
        delivery = self._new_delivery("raw_http", {}, "http")
        delivery.url = url
        self._spawn(self._http_deliver(delivery, url, body, dict(headers)))
        return delivery

    async def verify_url(self) -> Delivery:
        """Send the Events API ``url_verification`` challenge over HTTP."""
        payload = {
            "token": self.verification_token,
            "challenge": secrets.token_urlsafe(24),
            "type": "url_verification",
        }
        return await self._deliver("events_api", payload, transport="http")

    # ---------------------------------------------------------- deliveries

    async def wait_for_ack(self, record: Delivery, timeout: float = 5.0) -> Ack:  # noqa: ASYNC109
        assert record.ack_future is not None
        return await asyncio.wait_for(asyncio.shield(record.ack_future), timeout)

    def event_deliveries(self, event_type: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.event_type == event_type]

    async def deliver_event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry_num: int = 0,
        retry_reason: str | None = None,
    ) -> Delivery:
        """Wrap ``event`` in an ``event_callback`` and deliver it as-is. Reuse
        ``event_id`` with ``retry_num`` > 0 to emulate Slack's retries."""
        return await self._emit_event(
            event,
            event_id=event_id,
            retry_attempt=retry_num,
            retry_reason=(retry_reason or "http_timeout") if retry_num else "",
        )

    async def deliver_payload(self, kind: EnvelopeType, payload: dict[str, Any]) -> Delivery:
        """Deliver an arbitrary payload (``events_api``/``slash_commands``/``interactive``)."""
        return await self._deliver(kind, payload)

    async def member_join(self, name: str, channel: str = "general", **profile: Any) -> str:
        """A new member joins: ``team_join``, then ``member_joined_channel`` for
        #general (and ``channel``) where the bot is a member."""
        ws = self.workspace
        channels = [] if self._conv(channel).is_general else [channel]
        user = ws.add_user(name, channels=channels, **profile)
        await self._emit_event(payloads.team_join_event(user, ws.clock.next()))
        joined = [self._conv("general")]
        if channels:
            joined.append(self._conv(channel))
        for conv in joined:
            if self.bot_user_id in conv.members:
                await self._emit_event(
                    payloads.member_joined_channel_event(ws, user.id, conv, ws.clock.next(), None)
                )
        return user.id

    async def post_message(
        self,
        user_id: str,
        channel: str,
        text: str,
        thread_ts: str | None = None,
        bot: bool = False,
    ) -> str:
        """A member posts ``text``; returns its ``ts``. Delivers ``message`` (and
        ``app_mention`` if the bot is mentioned outside a DM) when the bot is in
        the conversation."""
        ws = self.workspace
        user = self._user(user_id)
        conv = self._conv(channel)
        if user.id not in conv.members:
            raise ValueError(f"{user.name} is not a member of {conv.name}")
        if bot and not user.is_bot:
            raise ValueError(
                f"{user.name} is not a bot user; create it with add_user(..., is_bot=True)"
            )
        if thread_ts is not None and ws.find_message(conv.id, thread_ts) is None:
            raise ValueError(f"no message {thread_ts} in {conv.name}")
        ts = ws.clock.next()
        message = payloads.user_message(ws, user, conv, text, ts, thread_ts=thread_ts, bot=bot)
        ws.add_message(conv.id, message)
        self._notify()
        if self.bot_user_id in conv.members and user.id != self.bot_user_id:
            await self._emit_event(payloads.message_event(message, conv))
            if self.bot_user_id in payloads.mentions(text) and not conv.is_im:
                await self._emit_event(payloads.app_mention_event(message, conv))
        if not bot:
            await unfurl_links(self, conv, message)
        return ts

    async def slash_command(
        self, user_id: str, channel: str, command: str, text: str = ""
    ) -> Delivery:
        ws = self.workspace
        user = self._user(user_id)
        conv = self._conv(channel)
        if not command.startswith("/"):
            raise ValueError("slash commands start with '/'")
        target = _ResponseTarget(kind="commands", user_id=user.id, channel_id=conv.id)
        payload = payloads.slash_command(
            ws,
            user,
            conv,
            command,
            text,
            response_url=self._new_response_url(target),
            trigger_id=ws.new_trigger(user.id),
            verification_token=self.verification_token,
        )
        return await self._deliver(
            "slash_commands", payload, on_ack=lambda ack: self._apply_command_ack(target, ack)
        )

    async def click_button(
        self,
        user_id: str,
        message: tuple[str, str],
        action_id: str,
        value: str | None = None,
    ) -> Delivery:
        """Click the button ``action_id`` on ``message`` = ``(channel, ts)``
        (a channel message or one of the user's ephemerals)."""
        ws = self.workspace
        user = self._user(user_id)
        channel, ts = message
        conv = self._conv(channel)
        stored = ws.find_message(conv.id, ts)
        is_ephemeral = False
        if stored is None:
            stored = ws.find_ephemeral(conv.id, ts)
            is_ephemeral = stored is not None
            if stored is not None and stored.get("user") != user.id:
                raise ValueError("that ephemeral message was shown to someone else")
        if stored is None:
            raise ValueError(f"no message {ts} in {conv.name}")
        found = [
            (b, e)
            for b, e in iter_elements(stored.get("blocks", []))
            if e.get("action_id") == action_id
        ]
        if not found:
            raise ValueError(f"no element with action_id {action_id!r} in message {ts}")
        block, element = found[0]
        if element.get("type") != "button":
            raise ValueError(f"{action_id!r} is a {element.get('type')}, not a button")
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block["block_id"],
            "text": copy.deepcopy(element.get("text")),
            "type": "button",
            "action_ts": f"{time.time():.6f}",
        }
        chosen = value if value is not None else element.get("value")
        if chosen is not None:
            action["value"] = chosen
        if "style" in element:
            action["style"] = element["style"]
        target = _ResponseTarget(
            kind="actions",
            user_id=user.id,
            channel_id=conv.id,
            message_ts=ts,
            is_ephemeral=is_ephemeral,
        )
        visible = {k: v for k, v in stored.items() if k not in ("channel", "source")}
        payload = payloads.block_actions(
            ws,
            user,
            conv,
            message=copy.deepcopy(visible),
            is_ephemeral=is_ephemeral,
            action=action,
            response_url=self._new_response_url(target),
            trigger_id=ws.new_trigger(user.id),
            verification_token=self.verification_token,
            # An ephemeral message has no `message` in the payload: only its container says it.
            sparse=not is_ephemeral and self.sparse("block_actions"),
        )
        return await self._deliver("interactive", payload)

    async def submit_view(self, user_id: str, view_id: str, values: dict[str, Any]) -> Delivery:
        """Submit the open modal ``view_id``. ``values`` is either Slack's
        ``state.values`` shape (``{block_id: {action_id: {...}}}``) or the simple
        ``{action_id: value}`` (a string, an option value, a list for multi-selects)."""
        record = self.views.get(view_id)
        if record is None or record.closed:
            raise ValueError(f"view {view_id} is not open")
        if record.user_id != user_id:
            raise ValueError(f"view {view_id} was opened for {record.user_id}, not {user_id}")
        user = self._user(user_id)
        view = copy.deepcopy(record.view)
        view["state"] = {"values": self._state_values(view, values)}
        payload = payloads.view_submission(
            self.workspace,
            user,
            view,
            trigger_id=self.workspace.new_trigger(user.id),
            verification_token=self.verification_token,
        )
        return await self._deliver(
            "interactive", payload, on_ack=lambda ack: self._apply_view_ack(record, ack)
        )

    def sparse(self, kind: str) -> bool:
        """Whether the next payload of ``kind`` comes in the documented example's shape."""
        count = self._sparse_counts.get(kind, 0)
        self._sparse_counts[kind] = count + 1
        if self.sparse_payloads == "alternate":
            return count % 2 == 0
        return self.sparse_payloads == "always"

    # =========================================================== internals

    def _notify(self) -> None:
        for fut in list(self._waiters):
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.warning("slack emulator background task failed: %r", t.exception())

        task.add_done_callback(done)
        return task

    def _record_call(self, call: ApiCall) -> None:
        self.calls.append(call)
        self._notify()

    def _take_rate_limit(self, method: str) -> int | None:
        entry = self._rate_limits.get(method)
        if not entry or entry[0] <= 0:
            return None
        entry[0] -= 1
        return entry[1]

    def _user(self, user_id: str) -> User:
        user = self.workspace.users.get(user_id) or self.workspace.find_user(user_id)
        if user is None:
            raise KeyError(f"no user {user_id!r}")
        return user

    def _conv(self, channel: str) -> Conversation:
        conv = self.workspace.resolve(channel)
        if conv is None:
            raise KeyError(f"no conversation {channel!r}")
        return conv

    def _new_bot_message(
        self,
        conv: Conversation,
        *,
        text: str,
        blocks: list[dict[str, Any]] | None,
        attachments: list[Any] | None,
    ) -> dict[str, Any]:
        ws = self.workspace
        message: dict[str, Any] = {
            "user": ws.bot_user.id,
            "type": "message",
            "ts": ws.clock.next(),
            "bot_id": ws.bot_id,
            "app_id": ws.app_id,
            "text": text,
            "team": ws.team_id,
            "bot_profile": self._api._bot_profile(),
        }
        if blocks:
            message["blocks"] = blocks
        if attachments:
            message["attachments"] = [
                {"id": index + 1, **a} if isinstance(a, dict) else a
                for index, a in enumerate(attachments)
            ]
        return message

    def _can_deliver(self) -> bool:
        return self.transport == "socket" or self._http_url("events_api") is not None

    def _http_url(self, kind: str) -> str | None:
        return self.http_targets.get(kind) or self.http_target

    def _after_bot_post(self, conv: Conversation, message: dict[str, Any]) -> None:
        self._notify()
        if self.echo_own_events and self._can_deliver():
            self._spawn(self._emit_event(payloads.message_event(copy.deepcopy(message), conv)))

    def _after_bot_join(self, conv: Conversation) -> None:
        self._notify()
        if self.echo_own_events and self._can_deliver():
            ws = self.workspace
            event = payloads.member_joined_channel_event(
                ws, ws.bot_user.id, conv, ws.clock.next(), None
            )
            self._spawn(self._emit_event(event))

    def _new_response_url(self, target: _ResponseTarget) -> str:
        key = f"{secrets.randbelow(10**13)}/{secrets.token_urlsafe(18)}"
        self._response_urls[key] = target
        return f"{self.base_url}/{target.kind}/{self.team_id}/{key}"

    def _new_delivery(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        transport: Transport,
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        on_ack: Callable[[Ack], None] | None = None,
    ) -> Delivery:
        delivery = Delivery(
            type=kind,
            payload=payload,
            transport=transport,
            sent_at=time.monotonic(),
            event_id=event_id,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            ack_future=asyncio.get_running_loop().create_future(),
            on_ack=on_ack,
        )
        self.deliveries.append(delivery)
        return delivery

    async def _emit_event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> Delivery:
        event_id = event_id or IdFactory.event_id()
        body = payloads.event_callback(
            self.workspace, event, event_id=event_id, verification_token=self.verification_token
        )
        return await self._deliver(
            "events_api",
            body,
            event_id=event_id,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )

    async def _deliver(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        on_ack: Callable[[Ack], None] | None = None,
        transport: Transport | None = None,
    ) -> Delivery:
        transport = transport or self.transport
        delivery = self._new_delivery(
            kind,
            payload,
            transport,
            event_id=event_id,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
            on_ack=on_ack,
        )
        if transport == "socket":
            envelope_id = IdFactory.envelope_id()
            delivery.envelope_id = envelope_id
            accepts = kind == "slash_commands" or (
                kind == "interactive"
                and payload.get("type") in ("view_submission", "block_suggestion")
            )
            frame: dict[str, Any] = {
                "envelope_id": envelope_id,
                "payload": payload,
                "type": kind,
                "accepts_response_payload": accepts,
            }
            if kind == "events_api":
                frame["retry_attempt"] = retry_attempt
                frame["retry_reason"] = retry_reason
            self._pending_acks[envelope_id] = delivery
            delivery.sent_at = time.monotonic()
            await self._socket.send(frame, within=self.delivery_timeout)
        else:
            url = self._http_url(kind)
            if not url:
                raise RuntimeError("emu.http_target is not set")
            body, content_type = encode_body(kind, payload)
            headers = {
                "Content-Type": content_type,
                "User-Agent": USER_AGENT,
                **self.sign(body),
            }
            if retry_attempt:
                headers["X-Slack-Retry-Num"] = str(retry_attempt)
                headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
            delivery.url = url
            self._spawn(self._http_deliver(delivery, url, body, headers))
        self._notify()
        return delivery

    async def _http_deliver(
        self, delivery: Delivery, url: str, body: bytes, headers: dict[str, str]
    ) -> None:
        assert self._session is not None, "emulator not started"
        assert delivery.ack_future is not None
        started = time.monotonic()
        try:
            status, text, resp_headers = await post(self._session, url, body, headers, limit=30.0)
        except Exception as exc:
            if not delivery.ack_future.done():
                delivery.ack_future.set_exception(exc)
                delivery.ack_future.add_done_callback(lambda f: f.exception())
            self.problems.append(f"HTTP delivery to {url} failed: {exc!r}")
            self._notify()
            return
        payload: dict[str, Any] | None = None
        ctype = resp_headers.get("Content-Type", "")
        if text:
            if ctype.startswith("application/json"):
                try:
                    decoded = json.loads(text)
                    payload = decoded if isinstance(decoded, dict) else {"value": decoded}
                except json.JSONDecodeError:
                    payload = {"text": text}
            else:
                payload = {"text": text}
        ack = Ack(
            payload=payload,
            status=status,
            body=text,
            headers=resp_headers,
            elapsed=time.monotonic() - started,
        )
        self._resolve(delivery, ack)

    def _on_socket_ack(self, frame: dict[str, Any]) -> None:
        envelope_id = str(frame.get("envelope_id"))
        delivery = self._pending_acks.pop(envelope_id, None)
        payload = frame.get("payload")
        ack = Ack(
            payload=payload if isinstance(payload, dict) else None,
            status=200,
            body=json.dumps(payload) if payload is not None else "",
            raw=frame,
            elapsed=time.monotonic() - delivery.sent_at if delivery else 0.0,
            envelope_id=envelope_id,
        )
        if delivery is None:
            self.problems.append(f"ack for unknown or already acked envelope {envelope_id}")
            self.acks.append(ack)
            self._notify()
            return
        if payload is not None and not (
            delivery.type == "slash_commands"
            or (
                delivery.type == "interactive"
                and delivery.payload.get("type") in ("view_submission", "block_suggestion")
            )
        ):
            self.problems.append(
                f"ack payload for a {delivery.type} envelope that accepts none: {payload!r}"
            )
        self._resolve(delivery, ack)

    def _resolve(self, delivery: Delivery, ack: Ack) -> None:
        assert delivery.ack_future is not None
        if ack.late:
            self.problems.append(f"{delivery.type} acked after {ack.elapsed:.2f}s (Slack waits 3s)")
        self.acks.append(ack)
        if not delivery.ack_future.done():
            delivery.ack_future.set_result(ack)
        if delivery.on_ack is not None:
            try:
                delivery.on_ack(ack)
            except Exception as exc:  # keep the server alive; surface it to tests
                self.problems.append(f"applying the ack failed: {exc!r}")
        self._notify()

    # -- responses (acks with payloads, response_url) -------------------------

    def _apply_command_ack(self, target: _ResponseTarget, ack: Ack) -> None:
        if ack.status != 200:
            self.problems.append(f"slash command answered with HTTP {ack.status}")
            return
        if ack.payload:
            error = self._apply_message_response(target, ack.payload, source="ack")
            if error:
                self.problems.append(f"slash command ack payload rejected: {error}")

    def _apply_message_response(
        self, target: _ResponseTarget, body: dict[str, Any], *, source: str
    ) -> str | None:
        ws = self.workspace
        conv = ws.conversations[target.channel_id]
        if body.get("delete_original") in (True, "true"):
            if target.message_ts is None:
                return "no_original_message"
            if target.is_ephemeral:
                ws.ephemerals[:] = [
                    e
                    for e in ws.ephemerals
                    if not (e["channel"] == conv.id and e["ts"] == target.message_ts)
                ]
            elif ws.remove_message(conv.id, target.message_ts) is None:
                return "message_not_found"
            self._notify()
            return None
        text = body.get("text")
        blocks = body.get("blocks")
        if blocks is not None:
            if not isinstance(blocks, list) or validate_message_blocks(blocks):
                return "invalid_blocks"
            blocks = self._api._with_block_ids(blocks)
        if (
            not (isinstance(text, str) and text.strip())
            and not blocks
            and not body.get("attachments")
        ):
            return "no_text"
        text = text if isinstance(text, str) else ""
        if body.get("replace_original") in (True, "true") and target.message_ts is not None:
            original = (
                ws.find_ephemeral(conv.id, target.message_ts)
                if target.is_ephemeral
                else ws.find_message(conv.id, target.message_ts)
            )
            if original is None:
                return "message_not_found"
            if reused := reused_block_ids(original.get("blocks"), blocks):
                self.problems.append(f"replace_original kept block_ids {reused}")
            original["text"] = text
            if blocks:
                original["blocks"] = blocks
            else:
                original.pop("blocks", None)
            if not target.is_ephemeral:
                original["edited"] = {"user": ws.bot_user.id, "ts": ws.clock.next()}
            self._notify()
            return None
        if body.get("response_type") == "in_channel":
            message = self._new_bot_message(
                conv, text=text, blocks=blocks, attachments=body.get("attachments")
            )
            if body.get("thread_ts"):
                message["thread_ts"] = str(body["thread_ts"])
            ws.add_message(conv.id, message)
            self._after_bot_post(conv, message)
            return None
        record: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "channel": conv.id,
            "user": target.user_id,
            "ts": ws.clock.next(),
            "text": text,
            "bot_id": ws.bot_id,
            "source": source,
        }
        if blocks:
            record["blocks"] = blocks
        if body.get("thread_ts"):
            record["thread_ts"] = str(body["thread_ts"])
        ws.ephemerals.append(record)
        self._notify()
        return None

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        key = f"{request.match_info['id']}/{request.match_info['secret']}"
        kind = request.path.split("/")[1]
        target = self._response_urls.get(key)
        raw = await request.text()

        def answer(status: int, error: str | None, body: dict[str, Any]) -> web.Response:
            self.responses.append(
                ResponseUrlPost(
                    url=str(request.url),
                    kind=kind,
                    body=body,
                    time=time.time(),
                    status=status,
                    error=error,
                )
            )
            self._notify()
            if error is None:
                return web.json_response({"ok": True}, status=status)
            return web.json_response({"ok": False, "error": error}, status=status)

        try:
            body = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return answer(400, "invalid_payload", {"raw": raw})
        if not isinstance(body, dict):
            return answer(400, "invalid_payload", {"raw": raw})
        if target is None or time.monotonic() - target.created > RESPONSE_URL_TTL:
            return answer(404, "expired_url", body)
        target.uses += 1
        if target.uses > RESPONSE_URL_MAX_USES:
            return answer(404, "used_url", body)
        error = self._apply_message_response(target, body, source="response_url")
        if error is not None:
            return answer(400 if error != "message_not_found" else 404, error, body)
        return answer(200, None, body)

    # -- views ----------------------------------------------------------------

    def _state_values(self, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        def is_full_shape(v: dict[str, Any]) -> bool:
            return bool(v) and all(
                isinstance(inner, dict)
                and inner
                and all(isinstance(x, dict) and "type" in x for x in inner.values())
                for inner in v.values()
            )

        inputs = [
            (b, e) for b, e in iter_elements(view.get("blocks", [])) if b.get("type") == "input"
        ]
        if is_full_shape(values):
            state: dict[str, Any] = copy.deepcopy(values)
        else:
            by_action = {e.get("action_id"): (b, e) for b, e in inputs}
            state = {}
            for action_id, value in values.items():
                if action_id not in by_action:
                    raise ValueError(
                        f"no input element with action_id {action_id!r} in view {view['id']}"
                    )
                block, element = by_action[action_id]
                state.setdefault(block["block_id"], {})[action_id] = payloads.state_value(
                    element, value
                )
        for block, element in inputs:
            action_id = str(element.get("action_id"))
            entry = state.setdefault(block["block_id"], {}).setdefault(
                action_id, payloads.state_value(element, None)
            )
            if not block.get("optional", False) and payloads.is_empty_state(entry):
                raise ValueError(
                    f"required input {block['block_id']}/{action_id} is empty;"
                    " Slack would not let the user submit"
                )
        return state

    def _apply_view_ack(self, record: OpenedView, ack: Ack) -> None:
        payload = ack.payload or {}
        action = payload.get("response_action")
        if ack.status != 200:
            self.problems.append(f"view_submission answered with HTTP {ack.status}")
            return
        if action == "errors":
            errors = payload.get("errors")
            if not isinstance(errors, dict) or not errors:
                self.problems.append("response_action=errors without an errors object")
                return
            known = {b.get("block_id") for b in record.view.get("blocks", [])}
            unknown = [k for k in errors if k not in known]
            if unknown:
                self.problems.append(f"response_action=errors names unknown block_ids {unknown}")
            record.errors = {str(k): str(v) for k, v in errors.items()}
        elif action in ("update", "push"):
            view = payload.get("view")
            problems = validate_view(view)
            if problems:
                self.problems.append(f"response_action={action} with an invalid view: {problems}")
                return
            assert isinstance(view, dict)
            if action == "update":
                built = self._api._build_view(
                    view,
                    view_id=record.view_id,
                    root_view_id=record.view["root_view_id"],
                    previous_view_id=record.view.get("previous_view_id"),
                )
                record.history.append(record.view)
                record.view = built
                record.errors = None
            else:
                built = self._api._build_view(
                    view, root_view_id=record.view["root_view_id"], previous_view_id=record.view_id
                )
                self._api._remember_view(built, record.user_id, "response_action:push", None)
        elif action == "clear":
            root = record.view["root_view_id"]
            for other in self.views.values():
                if other.view.get("root_view_id") == root:
                    other.closed = True
        else:
            record.closed = True
        self._notify()
