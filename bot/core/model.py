"""The neutral vocabulary every adapter translates to and from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# The largest file a member may attach to a command (a quiz bank, a list of codes).
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    STAFF = "staff"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Community:
    """A Discord guild, a Slack workspace or a console session."""

    platform: str
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    platform: str
    community_id: str
    id: str
    name: str
    display_name: str = ""
    roles: frozenset[Role] = field(default_factory=lambda: frozenset({Role.MEMBER}))
    avatar_url: str | None = None
    is_bot: bool = False
    locale: str | None = None

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name

    def has_role(self, required: Role) -> bool:
        """Admins may do everything; the other roles grant only themselves."""
        if required is Role.MEMBER or Role.ADMIN in self.roles:
            return True
        return required in self.roles


@dataclass(frozen=True, slots=True)
class Channel:
    platform: str
    community_id: str
    id: str
    name: str
    is_private: bool = False
    is_dm: bool = False


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a message lives on its platform, enough to edit or delete it later."""

    platform: str
    community_id: str
    channel_id: str
    message_id: str


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """A member's message as the core knows it: enough to quote, hold, report or repost it."""

    ref: MessageRef
    author: Member
    text: str


class HoldOutcome(StrEnum):
    """What a platform could do to take a member's message out of sight for review."""

    HIDDEN = "hidden"  # deleted or hidden from the channel
    NOTICED = "noticed"  # left in place, with a notice in its thread that it is under review
    FAILED = "failed"  # neither: the bot lacks the permission, or the message is gone


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a member attached to a command: its bytes, its name and its size."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"

    @property
    def size(self) -> int:
        return len(self.data)
