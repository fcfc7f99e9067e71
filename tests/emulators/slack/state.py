"""Workspace state: users, conversations, messages, files, views.

Everything that the Web API reads or writes lives here, shaped the way Slack's
documented objects are shaped (``users.info`` user objects, ``conversations.info``
conversation objects, message objects).
"""

from __future__ import annotations

import secrets
import string
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ALNUM = string.ascii_uppercase + string.digits
FILES_HOST = "https://files.example.invalid"
EXTERNAL_TEAM_ID = "T0EXTERNAL"
_BASE36 = string.digits + string.ascii_uppercase


def _base36(n: int, width: int) -> str:
    digits = ""
    while n:
        n, rem = divmod(n, 36)
        digits = _BASE36[rem] + digits
    return digits.rjust(width, "0")


class IdFactory:
    """Slack-looking identifiers: a type prefix and nine upper-case alphanumerics."""

    def __init__(self) -> None:
        self._counters: dict[str, int] = defaultdict(int)

    def new(self, prefix: str) -> str:
        self._counters[prefix] += 1
        return f"{prefix}{_base36(self._counters[prefix], 9)}"

    @staticmethod
    def event_id() -> str:
        return "Ev" + "".join(secrets.choice(_ALNUM) for _ in range(10))

    @staticmethod
    def envelope_id() -> str:
        return str(uuid.uuid4())

    @staticmethod
    def block_id() -> str:
        alphabet = string.ascii_letters + string.digits
        return "".join(secrets.choice(alphabet) for _ in range(5))


class TsClock:
    """Message timestamps: ``"<unix seconds>.<6 digits>"``, strictly increasing."""

    def __init__(self) -> None:
        self._last_micros = 0

    def next(self) -> str:
        micros = max(int(time.time() * 1_000_000), self._last_micros + 1)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def _tz_details(tz: str) -> tuple[str, int]:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return tz, 0
    now = datetime.now(zone)
    offset = now.utcoffset()
    label = now.tzname() or tz
    return label, int(offset.total_seconds()) if offset is not None else 0


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    display_name: str
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_bot: bool = False
    bot_id: str | None = None
    app_id: str | None = None
    deleted: bool = False
    is_restricted: bool = False
    tz: str = "Europe/Paris"
    locale: str = "en-US"
    email: str | None = None
    updated: int = field(default_factory=lambda: int(time.time()))

    def to_api(self, *, include_locale: bool = False) -> dict[str, Any]:
        tz_label, tz_offset = _tz_details(self.tz)
        avatar = secrets.token_hex(6)
        profile: dict[str, Any] = {
            "title": "",
            "phone": "",
            "skype": "",
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.display_name,
            "display_name_normalized": self.display_name,
            "fields": None,
            "status_text": "",
            "status_emoji": "",
            "status_expiration": 0,
            "avatar_hash": avatar,
            "first_name": self.real_name.split(" ")[0] if self.real_name else "",
            "last_name": " ".join(self.real_name.split(" ")[1:]) if self.real_name else "",
            "image_24": f"https://avatars.example.invalid/{self.id}_24.png",
            "image_32": f"https://avatars.example.invalid/{self.id}_32.png",
            "image_48": f"https://avatars.example.invalid/{self.id}_48.png",
            "image_72": f"https://avatars.example.invalid/{self.id}_72.png",
            "image_192": f"https://avatars.example.invalid/{self.id}_192.png",
            "image_512": f"https://avatars.example.invalid/{self.id}_512.png",
            "team": self.team_id,
        }
        if self.email is not None and not self.is_bot:
            profile["email"] = self.email
        if self.is_bot:
            profile["bot_id"] = self.bot_id
            profile["api_app_id"] = self.app_id
            profile["always_active"] = True
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": tz_label,
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_primary_owner,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": self.updated,
            "is_email_confirmed": not self.is_bot,
            "who_can_share_contact_card": "EVERYONE",
        }
        if self.is_bot:
            data["is_workflow_bot"] = False
        if include_locale:
            data["locale"] = self.locale
        return data


@dataclass
class Conversation:
    """A public/private channel, a DM (``is_im``) or a group DM (``is_mpim``)."""

    id: str
    name: str
    team_id: str
    creator: str
    is_private: bool = False
    is_general: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_archived: bool = False
    im_user: str | None = None
    members: list[str] = field(default_factory=list)
    created: int = field(default_factory=lambda: int(time.time()))
    topic: str = ""
    purpose: str = ""

    @property
    def is_channel(self) -> bool:
        return not (self.is_im or self.is_mpim)

    @property
    def channel_type(self) -> str:
        """``channel_type`` as used in message events."""
        if self.is_im:
            return "im"
        if self.is_mpim:
            return "mpim"
        return "group" if self.is_private else "channel"

    def to_api(
        self,
        viewer: str,
        *,
        include_num_members: bool = False,
        include_locale: bool = False,
    ) -> dict[str, Any]:
        now = int(time.time())
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_archived": False,
                "is_im": True,
                "is_org_shared": False,
                "context_team_id": self.team_id,
                "updated": now * 1000,
                "user": self.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "is_channel": self.is_channel,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_mpim,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": self.is_general,
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "context_team_id": self.team_id,
            "updated": now * 1000,
            "parent_conversation": None,
            "creator": self.creator,
            "is_ext_shared": False,
            "shared_team_ids": [self.team_id],
            "pending_connected_team_ids": [],
            "is_member": viewer in self.members,
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if include_num_members:
            data["num_members"] = len(self.members)
        if include_locale:
            data["locale"] = "en-US"
        return data


@dataclass
class Usergroup:
    id: str
    team_id: str
    handle: str
    name: str
    users: list[str] = field(default_factory=list)
    disabled: bool = False
    description: str = ""
    created_by: str = ""
    date_create: int = field(default_factory=lambda: int(time.time()))
    date_update: int = field(default_factory=lambda: int(time.time()))

    @property
    def date_delete(self) -> int:
        """Slack's mark of a disabled group: when it was disabled, 0 while enabled."""
        return self.date_update if self.disabled else 0


@dataclass
class UploadedFile:
    id: str
    filename: str
    length: int
    title: str | None = None
    alt_txt: str | None = None
    data: bytes | None = None
    completed: bool = False
    channel_id: str | None = None
    created: int = field(default_factory=lambda: int(time.time()))
    owner: str | None = None  # the member who shared it; None: the bot uploaded it
    mimetype: str = "application/octet-stream"

    def to_api(self, user_id: str, base_url: str = FILES_HOST) -> dict[str, Any]:
        """The file object; ``url_private`` is served by ``base_url`` (the emulator)."""
        owner = self.owner or user_id
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": self.mimetype,
            "filetype": self.filename.rsplit(".", 1)[-1] if "." in self.filename else "binary",
            "user": owner,
            "size": len(self.data) if self.data is not None else self.length,
            "is_public": False,
            "url_private": f"{base_url}/files-pri/{self.id}/{self.filename}",
            "url_private_download": f"{base_url}/files-pri/{self.id}/download/{self.filename}",
            "permalink": f"{base_url}/files/{owner}/{self.id}/{self.filename}",
        }


@dataclass
class Trigger:
    trigger_id: str
    user_id: str
    issued_at: float
    used: bool = False


class Workspace:
    """One team, its members and conversations, and the messages in them."""

    def __init__(self, *, team_name: str, team_domain: str, bot_name: str) -> None:
        self.ids = IdFactory()
        self.clock = TsClock()
        self.team_id = self.ids.new("T")
        self.team_name = team_name
        self.team_domain = team_domain
        self.enterprise_id: str | None = None
        self.app_id = self.ids.new("A")
        self.bot_id = self.ids.new("B")
        self.users: dict[str, User] = {}
        self.conversations: dict[str, Conversation] = {}
        self.usergroups: dict[str, Usergroup] = {}
        self.messages: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ephemerals: list[dict[str, Any]] = []
        self.files: dict[str, UploadedFile] = {}
        self.triggers: dict[str, Trigger] = {}
        self._trigger_seq = 0

        self.slackbot = User(
            id="USLACKBOT",
            team_id=self.team_id,
            name="slackbot",
            real_name="Slackbot",
            display_name="Slackbot",
            tz="America/Los_Angeles",
        )
        self.users[self.slackbot.id] = self.slackbot
        self.bot_user = self._new_user(
            bot_name, is_bot=True, bot_id=self.bot_id, app_id=self.app_id, real_name=bot_name
        )
        self.admin = self._new_user(
            "admin", is_admin=True, is_owner=True, is_primary_owner=True, real_name="Ada Admin"
        )
        general = self.add_conversation("general", is_general=True, creator=self.admin.id)
        general.purpose = "This is the one channel that will always include everyone."
        self.add_conversation("random", creator=self.admin.id)
        self.add_conversation("staff", is_private=True, creator=self.admin.id)
        self.add_conversation("reviews", is_private=True, creator=self.admin.id)
        for name in ("general", "random", "staff", "reviews"):
            self.by_name(name).members.append(self.admin.id)
        for name in ("general", "staff", "reviews"):
            self.by_name(name).members.append(self.bot_user.id)

    # -- users ---------------------------------------------------------------

    def _new_user(
        self,
        name: str,
        *,
        is_bot: bool = False,
        bot_id: str | None = None,
        app_id: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_primary_owner: bool = False,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/Paris",
        locale: str = "en-US",
        email: str | None = None,
    ) -> User:
        user = User(
            id=self.ids.new("U"),
            team_id=self.team_id,
            name=name,
            real_name=real_name if real_name is not None else name.replace(".", " ").title(),
            display_name=display_name if display_name is not None else ("" if is_bot else name),
            is_admin=is_admin,
            is_owner=is_owner,
            is_primary_owner=is_primary_owner,
            is_bot=is_bot,
            bot_id=bot_id,
            app_id=app_id,
            tz=tz,
            locale=locale,
            email=email if email is not None else (None if is_bot else f"{name}@example.com"),
        )
        self.users[user.id] = user
        return user

    def add_user(
        self,
        name: str,
        *,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/Paris",
        locale: str = "en-US",
        email: str | None = None,
        channels: list[str] | None = None,
        external: bool = False,
    ) -> User:
        """``external``: a member of another organization, in shared (Slack Connect)
        channels: their ``team_id`` is their own organization's."""
        user = self._new_user(
            name,
            is_admin=is_admin,
            is_owner=is_owner,
            is_bot=is_bot,
            bot_id=self.ids.new("B") if is_bot else None,
            app_id=self.ids.new("A") if is_bot else None,
            real_name=real_name,
            display_name=display_name,
            tz=tz,
            locale=locale,
            email=email,
        )
        if external:
            user.team_id = EXTERNAL_TEAM_ID
        wanted = ["general", *(channels or [])]
        for channel in wanted:
            conv = self.resolve(channel)
            if conv is None:
                raise KeyError(f"no channel {channel!r}")
            if user.id not in conv.members:
                conv.members.append(user.id)
        return user

    def find_user(self, name_or_id: str) -> User | None:
        if name_or_id in self.users:
            return self.users[name_or_id]
        for user in self.users.values():
            if user.name == name_or_id:
                return user
        return None

    # -- conversations -------------------------------------------------------

    def add_conversation(
        self,
        name: str,
        *,
        is_private: bool = False,
        is_general: bool = False,
        creator: str | None = None,
        members: list[str] | None = None,
    ) -> Conversation:
        conv = Conversation(
            id=self.ids.new("C"),
            name=name,
            team_id=self.team_id,
            creator=creator or self.admin.id,
            is_private=is_private,
            is_general=is_general,
            members=list(members or []),
        )
        self.conversations[conv.id] = conv
        return conv

    def by_name(self, name: str) -> Conversation:
        conv = self.resolve(name)
        if conv is None:
            raise KeyError(f"no channel {name!r}")
        return conv

    def resolve(self, channel: str) -> Conversation | None:
        """A conversation by id, ``name`` or ``#name``."""
        if channel in self.conversations:
            return self.conversations[channel]
        wanted = channel.removeprefix("#")
        for conv in self.conversations.values():
            if conv.is_channel and conv.name == wanted:
                return conv
        return None

    def im_with(self, user_id: str) -> Conversation:
        """The bot's DM with ``user_id`` (created on first use)."""
        for conv in self.conversations.values():
            if conv.is_im and conv.im_user == user_id:
                return conv
        conv = Conversation(
            id=self.ids.new("D"),
            name=user_id,
            team_id=self.team_id,
            creator=self.bot_user.id,
            is_im=True,
            im_user=user_id,
            members=[self.bot_user.id, user_id] if user_id != self.bot_user.id else [user_id],
        )
        self.conversations[conv.id] = conv
        return conv

    def existing_im(self, user_id: str) -> Conversation | None:
        for conv in self.conversations.values():
            if conv.is_im and conv.im_user == user_id:
                return conv
        return None

    def mpim_with(self, user_ids: list[str]) -> tuple[Conversation, bool]:
        members = sorted({self.bot_user.id, *user_ids})
        for conv in self.conversations.values():
            if conv.is_mpim and sorted(conv.members) == members:
                return conv, True
        names = "--".join(self.users[u].name for u in members)
        conv = Conversation(
            id=self.ids.new("G"),
            name=f"mpdm-{names}-1",
            team_id=self.team_id,
            creator=self.bot_user.id,
            is_mpim=True,
            is_private=True,
            members=members,
        )
        self.conversations[conv.id] = conv
        return conv, False

    def can_see(self, viewer: str, conv: Conversation) -> bool:
        return (conv.is_channel and not conv.is_private) or viewer in conv.members

    # -- messages ------------------------------------------------------------

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        for message in self.messages.get(channel_id, []):
            if message.get("ts") == ts:
                return message
        return None

    def find_ephemeral(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        for message in self.ephemerals:
            if message.get("channel") == channel_id and message.get("ts") == ts:
                return message
        return None

    def add_message(self, channel_id: str, message: dict[str, Any]) -> dict[str, Any]:
        self.messages[channel_id].append(message)
        thread_ts = message.get("thread_ts")
        if isinstance(thread_ts, str) and thread_ts != message.get("ts"):
            parent = self.find_message(channel_id, thread_ts)
            if parent is not None:
                parent.setdefault("thread_ts", thread_ts)
                parent["reply_count"] = int(parent.get("reply_count", 0)) + 1
                parent["reply_users_count"] = len(
                    {*parent.get("reply_users", []), message.get("user")} - {None}
                )
                author = message.get("user")
                if author and author not in parent.setdefault("reply_users", []):
                    parent["reply_users"].append(author)
                parent["latest_reply"] = message["ts"]
        return message

    def remove_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        messages = self.messages.get(channel_id, [])
        for index, message in enumerate(messages):
            if message.get("ts") == ts:
                return messages.pop(index)
        return None

    # -- triggers ------------------------------------------------------------

    def new_trigger(self, user_id: str) -> str:
        self._trigger_seq += 1
        stamp = int(time.time() * 1000) % 100000
        trigger_id = f"{self._trigger_seq}{stamp}.{self.team_id[1:]}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = Trigger(trigger_id, user_id, time.monotonic())
        return trigger_id
