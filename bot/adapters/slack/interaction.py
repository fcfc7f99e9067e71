"""One slash command, button click or modal submission, answered the Slack way.

Public answers are posted to the channel (`chat.postMessage`, so the message has a `ts`
the core remembers and can edit later); ephemeral ones go to the member alone
(`chat.postEphemeral`, or the `response_url` where the bot cannot post); `update` edits
the message the clicked button sits on (`chat.update`); forms open as modals.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.cards import Form, Message
from bot.core.model import MessageRef
from bot.core.platform import Interaction

if TYPE_CHECKING:
    from bot.adapters.slack.platform import SlackPlatform

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the interaction came from, as Slack described it."""

    community_id: str
    channel_id: str
    user_id: str
    trigger_id: str | None = None
    response_url: str | None = None
    message_ts: str | None = None  # the message a clicked button sits on
    ephemeral_message: bool = False  # …and it was an ephemeral one
    thread_ts: str | None = None


class SlackInteraction(Interaction):
    def __init__(self, platform: SlackPlatform, origin: Origin) -> None:
        self.platform = platform
        self.origin = origin

    async def reply(self, message: Message, *, ephemeral: bool = False) -> MessageRef | None:
        origin = self.origin
        if ephemeral:
            await self.platform.poster.ephemeral(
                origin.channel_id,
                origin.user_id,
                message,
                response_url=origin.response_url,
                thread_ts=origin.thread_ts,
            )
            return None
        return await self.platform.send(
            origin.community_id, origin.channel_id, message, thread_of=origin.thread_ts
        )

    async def update(self, message: Message) -> None:
        origin = self.origin
        if origin.message_ts is None:
            log.debug("update without a clicked message: nothing to edit")
            return
        if origin.ephemeral_message:
            # Ephemeral messages have no channel copy to edit: their response_url replaces them.
            if origin.response_url is not None:
                await self.platform.poster.respond(
                    origin.response_url, message, replace_original=True
                )
            return
        ref = MessageRef(
            self.platform.name, origin.community_id, origin.channel_id, origin.message_ts
        )
        await self.platform.edit(ref, message)

    async def open_form(self, form: Form) -> None:
        if self.origin.trigger_id is None:
            raise RuntimeError("this interaction cannot open a form (no trigger_id)")
        await self.platform.open_form(self.origin, form)
