"""Who may enter a giveaway: a platform role, days in the community, messages posted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.model import Member, Role


@dataclass(frozen=True, slots=True)
class Requirements:
    role: str | None = None
    days: int | None = None
    messages: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.role or self.days or self.messages)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the bot knows of a member when they press Enter."""

    member: Member
    platform_roles: frozenset[str] | None  # None: the platform cannot tell
    joined_at: datetime | None
    messages: int
    now: datetime


@dataclass(frozen=True, slots=True)
class Refusal:
    key: str  # catalog key of the reason
    params: dict[str, object] = field(default_factory=dict)


def has_role(required: str, facts: Facts) -> bool | None:
    """True or False; None when the platform cannot tell and nothing else says yes."""
    wanted = required.strip().lstrip("@").casefold()
    # The core's own roles (staff, moderator, admin) count wherever the platform names them.
    core = {role.value for role in facts.member.roles}
    if wanted in core or (wanted in {role.value for role in Role} and Role.ADMIN in core):
        return True
    if facts.platform_roles is None:
        return None
    return wanted in facts.platform_roles


def refusal(requirements: Requirements, facts: Facts) -> Refusal | None:
    """The first requirement the member misses, or None when they may enter."""
    if requirements.role:
        held = has_role(requirements.role, facts)
        if held is None:
            return Refusal("contests.refused.role_unknown", {"role": requirements.role})
        if not held:
            return Refusal("contests.refused.role", {"role": requirements.role})
    if requirements.days:
        joined = facts.joined_at or facts.now
        days = max(0, (facts.now - joined).days)
        if days < requirements.days:
            return Refusal(
                "contests.refused.days",
                {"days": requirements.days, "have": days, "left": requirements.days - days},
            )
    if requirements.messages and facts.messages < requirements.messages:
        return Refusal(
            "contests.refused.messages",
            {
                "messages": requirements.messages,
                "have": facts.messages,
                "left": requirements.messages - facts.messages,
            },
        )
    return None
