"""Neutral events that adapters deliver to the core."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.commands import OptionValue
from bot.core.model import Channel, Community, Member, MessageRef

if TYPE_CHECKING:
    from bot.core.platform import Interaction


@dataclass(frozen=True, slots=True)
class MemberJoined:
    community: Community
    member: Member


@dataclass(frozen=True, slots=True)
class MemberLeft:
    community: Community
    member: Member


@dataclass(frozen=True, slots=True)
class MessagePosted:
    community: Community
    channel: Channel
    author: Member
    text: str
    ref: MessageRef
    thread_of: str | None = None


@dataclass(frozen=True, slots=True)
class MessageEdited:
    community: Community
    channel: Channel
    author: Member
    text: str
    ref: MessageRef


@dataclass(frozen=True, slots=True)
class CommandInvoked:
    """A slash command. Text platforms fill `text`; Discord fills `path` and `values`."""

    community: Community
    channel: Channel
    member: Member
    name: str
    interaction: Interaction
    text: str | None = None
    path: tuple[str, ...] = ()
    values: Mapping[str, OptionValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ButtonPressed:
    community: Community
    channel: Channel
    member: Member
    custom_id: str
    interaction: Interaction
    message: MessageRef | None = None


@dataclass(frozen=True, slots=True)
class FormSubmitted:
    community: Community
    channel: Channel
    member: Member
    custom_id: str
    values: Mapping[str, str]
    interaction: Interaction
