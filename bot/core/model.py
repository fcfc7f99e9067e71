"""The neutral vocabulary every adapter translates to and from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
