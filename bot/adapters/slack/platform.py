"""Slack as a platform for the core: a workspace is a community, channels are channels,
cards are Block Kit, slash commands are parsed by the core from their text."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, TypeVar

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.client import make_client
from bot.adapters.slack.config import REFUSED_TOKEN, check_token, given, refuse
from bot.adapters.slack.dedupe import EventDedupe
from bot.adapters.slack.directory import Directory, SlackChannel, SlackUser
from bot.adapters.slack.events import InboundEvents
from bot.adapters.slack.files import Files
from bot.adapters.slack.forms import form_view
from bot.adapters.slack.interaction import Origin
from bot.adapters.slack.listeners import register
from bot.adapters.slack.memberships import Memberships
from bot.adapters.slack.moderation import Moderation, granted_scopes
from bot.adapters.slack.outgoing import Poster, error_code
from bot.adapters.slack.roles import RoleResolver
from bot.adapters.slack.server import HttpTransport, SocketModeTransport, Transport
from bot.adapters.slack.text import channel_reference, user_reference
from bot.config import Settings
from bot.core.cards import Form, Message
from bot.core.model import Attachment, Channel, Community, HoldOutcome, Member, MessageRef, Role
from bot.core.platform import EventSink, Platform
from bot.core.services import Services

log = logging.getLogger(__name__)
T = TypeVar("T")
PLATFORM = "slack"
STOP_GRACE = 5.0  # seconds the handlers still running at shutdown may take to finish


class _UnusedTokenWarning(logging.Filter):
    """bolt warns that SLACK_BOT_TOKEN in the environment goes unused next to a client:
    the client is made from that very token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


BOLT_LOG = logging.getLogger("bot.adapters.slack.bolt")
BOLT_LOG.addFilter(_UnusedTokenWarning())


def _ready(part: T | None) -> T:
    if part is None:
        raise RuntimeError("the Slack adapter is not started")
    return part


def _looks_like_id(text: str, prefixes: str) -> bool:
    return len(text) > 2 and text[0] in prefixes and text.isupper() and text.isalnum()


class SlackPlatform(Platform):
    name = PLATFORM

    def __init__(self, settings: Settings, services: Services) -> None:
        self.settings = settings
        self.services = services
        self.sink: EventSink | None = None
        self.team_id = ""
        self.team_name = ""
        self.bot_user_id = ""
        self._session: aiohttp.ClientSession | None = None
        self._poster: Poster | None = None
        self._directory: Directory | None = None
        self._roles: RoleResolver | None = None
        self._moderation: Moderation | None = None
        self._files: Files | None = None
        self._memberships: Memberships | None = None
        self.dedupe = EventDedupe(services.db, services.clock, PLATFORM)
        self.inbound = InboundEvents(self)
        self._transport: Transport | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pings: set[str] = set()  # role mentions handed out: these stay live when sent

    # -- parts that exist once started ---------------------------------------------

    @property
    def poster(self) -> Poster:
        return _ready(self._poster)

    @property
    def directory(self) -> Directory:
        return _ready(self._directory)

    @property
    def roles(self) -> RoleResolver:
        return _ready(self._roles)

    @property
    def moderation(self) -> Moderation:
        return _ready(self._moderation)

    @property
    def files(self) -> Files:
        return _ready(self._files)

    @property
    def memberships(self) -> Memberships:
        return _ready(self._memberships)

    @property
    def socket_mode(self) -> bool:
        return bool(given(self.settings.slack_app_token))

    # -- lifecycle -----------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        settings = self.settings
        self._session = aiohttp.ClientSession()
        client = make_client(given(settings.slack_bot_token), settings.slack_api_url, self._session)
        try:
            identity = await client.auth_test()
        except SlackApiError as error:
            if error_code(error) in REFUSED_TOKEN:
                refuse(f"Slack refused SLACK_BOT_TOKEN ({error_code(error)})")
            raise
        except aiohttp.ClientError as error:
            refuse(f"cannot reach Slack at SLACK_API_URL {settings.slack_api_url}: {error}")
        self.team_id, self.team_name = str(identity["team_id"]), str(identity.get("team") or "")
        self.bot_user_id = str(identity.get("user_id") or "")
        self._poster = Poster(client, self._session)
        self._directory = Directory(client)
        self._roles = RoleResolver(
            client,
            self._directory,
            admins=settings.slack_admin_ids,
            moderators=settings.slack_moderator_channel,
            staff=settings.slack_staff_channel,
        )
        user_token = given(settings.slack_user_token)
        user_client = (
            make_client(user_token, settings.slack_api_url, self._session) if user_token else None
        )
        if user_client is not None:
            await check_token(user_client, "SLACK_USER_TOKEN")
        self._moderation = Moderation(
            self._poster,
            self._directory,
            user_client=user_client,
            scopes=granted_scopes(identity.headers),
        )
        self._files = Files(client, self._session, given(settings.slack_bot_token))
        self._memberships = Memberships(client)
        await self.dedupe.forget_old()
        bolt = AsyncApp(
            client=client,
            signing_secret=given(settings.slack_signing_secret),
            name="ponte",
            logger=BOLT_LOG,
        )
        register(bolt, self, self.inbound)
        self.sink = sink
        if self.socket_mode:
            self._transport = SocketModeTransport(bolt, given(settings.slack_app_token))
        else:
            self._transport = HttpTransport(bolt, settings.slack_host, settings.slack_port)
        try:
            await self._transport.start()
        except SlackApiError as error:
            if error_code(error) in REFUSED_TOKEN:
                refuse(f"Slack refused SLACK_APP_TOKEN ({error_code(error)})")
            raise
        except OSError as error:
            if self.socket_mode:
                raise
            refuse(
                f"cannot listen on SLACK_HOST {settings.slack_host}, "
                f"SLACK_PORT {settings.slack_port}: {error.strerror or error}"
            )
        log.info("slack adapter started", extra={"team": self.team_id})

    async def stop(self) -> None:
        if self._transport is not None:
            await self._transport.stop()
            self._transport = None
        try:
            await asyncio.wait_for(self.idle(), STOP_GRACE)
        except TimeoutError:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self.sink = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Run `work` after the acknowledgement; a failure is logged, never raised."""
        task = asyncio.get_running_loop().create_task(self._guarded(work, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception:
            log.exception("slack request failed", extra={"request": what})

    async def idle(self) -> None:
        """Wait until every request handed to the core so far has been handled."""
        while True:
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
            await asyncio.sleep(0.02)  # a listener scheduled just now may still spawn
            if not self._tasks:
                return

    # -- the core's view of Slack ------------------------------------------------------

    def community_for(self, team_id: object = None) -> Community:
        team = str(team_id) if team_id else self.team_id
        return Community(PLATFORM, team, self.team_name if team == self.team_id else team)

    async def member_from(self, user: SlackUser, community_id: str) -> Member:
        return Member(
            PLATFORM,
            community_id,
            user.id,
            user.name,
            user.display_name,
            await self.roles.roles(user),
            user.avatar_url,
            user.is_bot,
            user.locale,
        )

    async def member(self, user_id: str, community_id: str) -> Member:
        user = await self.directory.user(user_id)
        return await self.member_from(user or SlackUser(user_id, user_id, ""), community_id)

    def _channel(self, channel: SlackChannel) -> Channel:
        return Channel(
            PLATFORM, self.team_id, channel.id, channel.name, channel.is_private, channel.is_dm
        )

    async def channel(self, channel_id: str, name: str | None = None) -> Channel:
        found = await self.directory.channel(channel_id)
        if found is not None:
            return self._channel(found)
        is_dm = channel_id.startswith("D") or name == "directmessage"
        return Channel(PLATFORM, self.team_id, channel_id, name or channel_id, is_dm, is_dm)

    # -- Platform --------------------------------------------------------------------

    async def send(
        self, community_id: str, channel_id: str, message: Message, *, thread_of: str | None = None
    ) -> MessageRef:
        posted_in, ts = await self.poster.post(
            channel_id, message, thread_ts=thread_of, ping=self._ping(message)
        )
        return MessageRef(PLATFORM, community_id, posted_in, ts)

    def _ping(self, message: Message) -> str | None:
        """The role mention handed out by `role_mention` that opens this message, if any."""
        return next((p for p in self._pings if message.text.startswith(f"{p} ")), None)

    async def send_dm(
        self, community_id: str, member_id: str, message: Message
    ) -> MessageRef | None:
        posted = await self.poster.dm(member_id, message)
        return MessageRef(PLATFORM, community_id, *posted) if posted else None

    async def send_ephemeral(
        self, community_id: str, channel_id: str, member_id: str, message: Message
    ) -> None:
        await self.poster.ephemeral(channel_id, member_id, message)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        await self.poster.update(ref.channel_id, ref.message_id, message, ping=self._ping(message))

    async def delete(self, ref: MessageRef) -> None:
        await self.poster.delete(ref.channel_id, ref.message_id)

    async def add_role(self, community_id: str, member_id: str, role: str) -> bool:
        """Slack has no roles: a starting role names a channel, and the member is invited."""
        channel = await self.resolve_channel(community_id, role)
        if channel is None or channel.is_dm:
            log.warning(
                "Slack has no roles: create a channel with the role's name to give it",
                extra={"role": role, "member": member_id},
            )
            return False
        return await self.poster.invite(channel.id, member_id, public=not channel.is_private)

    async def default_channel(self, community_id: str) -> Channel | None:
        general = await self.directory.general()
        return self._channel(general) if general is not None else None

    async def member_count(self, community_id: str) -> int | None:
        return await self.directory.member_count()

    async def resolve_member(self, community_id: str, reference: str) -> Member | None:
        user_id, name = user_reference(reference)
        user = await self.directory.user(user_id) if user_id is not None else None
        if user_id is None:
            if _looks_like_id(name, "UW"):
                user = await self.directory.user(name)
            user = user or await self.directory.find_user(name)
        if user is None or user.deleted:
            return None
        return await self.member_from(user, community_id)

    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None:
        channel_id, name = channel_reference(reference)
        found = await self.directory.channel(channel_id) if channel_id is not None else None
        if channel_id is None:
            if _looks_like_id(name, "CGD"):
                found = await self.directory.channel(name)
            found = found or await self.directory.find_channel(name)
        return self._channel(found) if found is not None else None

    async def fetch_file(self, community_id: str, reference: str) -> Attachment | None:
        return await self.files.fetch(reference)

    async def member_roles(self, community_id: str, member_id: str) -> frozenset[str] | None:
        return await self.memberships.of(member_id)

    # -- moderation (see moderation.py) ---------------------------------------------

    async def hold(self, ref: MessageRef, notice: Message) -> HoldOutcome:
        return await self.moderation.hold(ref.channel_id, ref.message_id, notice)

    async def repost(
        self,
        community_id: str,
        channel_id: str,
        author: Member,
        text: str,
        *,
        attribution: str,
        thread_of: str | None = None,
    ) -> MessageRef:
        posted_in, ts = await self.moderation.repost(
            channel_id, author, text, attribution=attribution, thread_ts=thread_of
        )
        return MessageRef(PLATFORM, community_id, posted_in, ts)

    async def timeout(
        self, community_id: str, member_id: str, until: datetime, reason: str
    ) -> bool:
        return False  # Slack has no timeout: the cog tells the admins instead

    async def message_link(self, ref: MessageRef) -> str | None:
        return await self.moderation.permalink(ref.channel_id, ref.message_id)

    async def role_channel(self, community_id: str, role: Role) -> Channel | None:
        for handle in self.roles.channel_handles(role):
            channel = await self.resolve_channel(community_id, handle)
            if channel is not None and not channel.is_dm:
                return channel
        return None

    async def role_mention(self, community_id: str, role: Role) -> str | None:
        mention = await self.roles.mention(role)
        if mention is not None:
            self._pings.add(mention)
        return mention

    def mention(self, member: Member) -> str:
        return f"<@{member.id}>"

    def channel_mention(self, channel: Channel) -> str:
        return f"<#{channel.id}>"

    # -- forms -----------------------------------------------------------------------

    async def open_form(self, origin: Origin, form: Form) -> None:
        assert origin.trigger_id is not None
        community = self.community_for(origin.community_id)
        language = await self.services.communities.language(community)
        submit = self.services.translator.gettext(language, "common.submit")
        view = form_view(form, submit, origin.channel_id, origin.response_url)
        await self.poster.open_view(origin.trigger_id, view)
