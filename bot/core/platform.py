"""The adapter interface: everything a cog may ask of a platform, and nothing more."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from bot.core.cards import Form, Message
from bot.core.model import Attachment, Channel, HoldOutcome, Member, MessageRef, Role

if TYPE_CHECKING:
    from bot.core.commands import Command, MessageAction
    from bot.core.events import (
        ButtonPressed,
        CommandInvoked,
        FormSubmitted,
        MemberJoined,
        MemberLeft,
        MessageActionInvoked,
        MessageDeleted,
        MessageEdited,
        MessagePosted,
    )


class EventSink(Protocol):
    """What an adapter talks to: the core's dispatcher."""

    @property
    def commands(self) -> list[Command]: ...

    @property
    def message_actions(self) -> list[MessageAction]: ...

    async def member_joined(self, event: MemberJoined) -> None: ...

    async def member_left(self, event: MemberLeft) -> None: ...

    async def message_posted(self, event: MessagePosted) -> None: ...

    async def message_edited(self, event: MessageEdited) -> None: ...

    async def message_deleted(self, event: MessageDeleted) -> None: ...

    async def message_action(self, event: MessageActionInvoked) -> None: ...

    async def command_invoked(self, event: CommandInvoked) -> None: ...

    async def button_pressed(self, event: ButtonPressed) -> None: ...

    async def form_submitted(self, event: FormSubmitted) -> None: ...


class Interaction(ABC):
    """One command, button press or form, answered through the platform's own channel."""

    @abstractmethod
    async def reply(self, message: Message, *, ephemeral: bool = False) -> MessageRef | None:
        """Answer the member; the first public answer is the interaction's own message."""

    @abstractmethod
    async def update(self, message: Message) -> None:
        """Replace the message the pressed button sits on."""

    @abstractmethod
    async def open_form(self, form: Form) -> None:
        """Ask the member to fill in a form (Discord modal, Slack modal, console prompt)."""

    async def defer(self, *, ephemeral: bool = False) -> None:  # noqa: B027 - optional hook
        """Tell the platform an answer is coming; platforms without a deadline ignore it."""


class Platform(ABC):
    """An adapter: translates one platform to and from the core's vocabulary."""

    name: str

    @abstractmethod
    async def start(self, sink: EventSink) -> None:
        """Connect and start delivering events to `sink`; return once connected."""

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def send(
        self, community_id: str, channel_id: str, message: Message, *, thread_of: str | None = None
    ) -> MessageRef: ...

    @abstractmethod
    async def send_dm(
        self, community_id: str, member_id: str, message: Message
    ) -> MessageRef | None:
        """A private message; None when the member does not accept DMs."""

    @abstractmethod
    async def send_ephemeral(
        self, community_id: str, channel_id: str, member_id: str, message: Message
    ) -> None: ...

    @abstractmethod
    async def edit(self, ref: MessageRef, message: Message) -> None: ...

    @abstractmethod
    async def delete(self, ref: MessageRef) -> None: ...

    @abstractmethod
    async def add_role(self, community_id: str, member_id: str, role: str) -> bool:
        """Give a role by name or id; False when the platform or permissions do not allow it."""

    @abstractmethod
    async def default_channel(self, community_id: str) -> Channel | None:
        """Where greetings go unless configured: system channel, #general."""

    @abstractmethod
    async def member_count(self, community_id: str) -> int | None: ...

    @abstractmethod
    async def resolve_member(self, community_id: str, reference: str) -> Member | None: ...

    @abstractmethod
    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None: ...

    # -- moderation: what netiquette and the review queue need -------------------------

    @abstractmethod
    async def hold(self, ref: MessageRef, notice: Message) -> HoldOutcome:
        """Take a member's message out of sight for review: delete or hide it; where the bot
        may not, post `notice` in the message's thread and leave it. Never raises."""

    @abstractmethod
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
        """Post `text` again under its author's name and avatar (a Discord webhook, a Slack
        custom username); where the platform cannot, post `attribution` ("@x wrote:") above
        it. Mentions in `text` must not notify anyone."""

    @abstractmethod
    async def timeout(
        self, community_id: str, member_id: str, until: datetime, reason: str
    ) -> bool:
        """Silence a member until `until` (Discord's communication timeout). False where the
        platform has no timeout or the bot may not: the cog tells the admins instead."""

    @abstractmethod
    async def message_link(self, ref: MessageRef) -> str | None:
        """A link that opens the message in its context, or None."""

    @abstractmethod
    async def role_channel(self, community_id: str, role: Role) -> Channel | None:
        """The private channel where a role gathers (moderators' review channel, staff's
        channel): Slack's configured channels, a Discord channel named after the role, the
        console's #moderatori / #staff. None when there is none."""

    async def fetch_file(self, community_id: str, reference: str) -> Attachment | None:
        """A file named in a typed command (a path on the console, a shared file on Slack);
        None where the platform hands attachments over itself or the file is not found.
        Raises UserFacingError("errors.file_too_large") above MAX_ATTACHMENT_BYTES."""
        return None

    async def member_roles(self, community_id: str, member_id: str) -> frozenset[str] | None:
        """The names (casefolded) and ids of the platform roles a member holds (Discord roles;
        on Slack the channels that stand for roles); None where the platform cannot tell."""
        return None

    async def role_mention(self, community_id: str, role: Role) -> str | None:
        """How a message notifies everyone with a role (an urgent alert to staff): Discord's
        role mention, Slack's user group or `<!channel>` in the role's channel; None if none."""
        return None

    def mention(self, member: Member) -> str:
        """How a message names a member so that the platform notifies them."""
        return f"@{member.name}"

    def channel_mention(self, channel: Channel) -> str:
        return f"#{channel.name}"
