"""Neutral events that adapters deliver to the core."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.commands import OptionValue
from bot.core.model import Channel, Community, Member, MessageRef, PostedMessage

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
    # The message this one answers: Discord's reply reference, the parent of a Slack thread.
    reply_to: str | None = None

    @property
    def posted(self) -> PostedMessage:
        return PostedMessage(self.ref, self.author, self.text)


@dataclass(frozen=True, slots=True)
class MessageEdited:
    community: Community
    channel: Channel
    author: Member
    text: str
    ref: MessageRef
    thread_of: str | None = None

    @property
    def posted(self) -> PostedMessage:
        return PostedMessage(self.ref, self.author, self.text)


@dataclass(frozen=True, slots=True)
class MessageDeleted:
    """A message was deleted, where the platform says so (Discord, Slack, the console)."""

    community: Community
    channel: Channel
    ref: MessageRef


@dataclass(frozen=True, slots=True)
class MessageActionInvoked:
    """A member chose a message action on a message (report it, tag it)."""

    community: Community
    channel: Channel
    member: Member
    action: str  # the MessageAction's name
    target: PostedMessage
    interaction: Interaction
    argument: str = ""  # what the console typed after the message; "" elsewhere


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
