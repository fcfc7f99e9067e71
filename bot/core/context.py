"""What a command, button or form handler is given: who, where, and how to answer."""

from __future__ import annotations

from typing import Any

from bot.core.cards import Card, Form, Message, as_message
from bot.core.errors import InteractionExpired, PermissionDenied
from bot.core.model import Channel, Community, Member, MessageRef, Role
from bot.core.platform import Interaction, Platform
from bot.core.services import Services


class Context:
    def __init__(
        self,
        services: Services,
        community: Community,
        channel: Channel,
        member: Member,
        interaction: Interaction,
        language: str,
        timezone: str,
        message: MessageRef | None = None,
    ) -> None:
        self.services = services
        self.community = community
        self.channel = channel
        self.member = member
        self.interaction = interaction
        self.language = language
        self.timezone = timezone
        self.message = message  # the message a pressed button sits on

    @property
    def platform(self) -> Platform:
        return self.services.platforms.get(self.community.platform)

    def t(self, key: str, **params: Any) -> str:
        return self.services.translator.gettext(self.language, key, **params)

    def require(self, role: Role) -> None:
        if not self.member.has_role(role):
            raise PermissionDenied("errors.permission", role=self.t(f"roles.{role.value}"))

    async def reply(
        self, content: str | Card | Message, *, ephemeral: bool = False, key: str | None = None
    ) -> MessageRef | None:
        message = as_message(content)
        try:
            ref = await self.interaction.reply(message, ephemeral=ephemeral)
        except InteractionExpired:
            if ephemeral:
                raise  # meant for one member, who is no longer waiting for it
            # Too late to answer the command, not to show what it made (a poll's card):
            # posted in its channel instead.
            return await self.services.outbox.send(
                self.community, self.channel.id, message, key=key
            )
        if ref is not None and not ephemeral:
            await self.services.outbox.remember(ref, message, key=key)
        return ref

    async def update(self, content: str | Card | Message) -> None:
        """Replace the message the pressed button sits on (live results)."""
        message = as_message(content)
        await self.interaction.update(message)
        if self.message is not None:
            await self.services.outbox.remember_edit(self.message, message)

    async def open_form(self, form: Form) -> None:
        await self.interaction.open_form(form)
