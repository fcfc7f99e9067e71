"""One slash command, button press or modal submission, answered within Discord's rules.

Discord forgets an interaction that is not acknowledged within 3 seconds. A timer starts
when the interaction arrives: if the core has not answered after `ack_after` seconds (a
slow database, a busy process), the interaction is deferred - a "thinking" message for
commands, a silent deferred update for buttons - and the answers that follow become
follow-ups and edits of the original response.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import discord

from bot.adapters.discord.convert import PLATFORM
from bot.adapters.discord.render import cut, outgoing
from bot.core.cards import Form, Message
from bot.core.errors import InteractionExpired
from bot.core.model import MessageRef
from bot.core.platform import Interaction

log = logging.getLogger(__name__)
ACK_AFTER = 2.0  # seconds; Discord allows 3
# Discord's codes for an interaction it no longer answers: "Unknown interaction" (not
# acknowledged within 3 s) and "Invalid Webhook Token" (follow-ups past 15 minutes).
EXPIRED_CODES = frozenset({10062, 50027})


def expired(error: discord.HTTPException) -> bool:
    return error.code in EXPIRED_CODES


@contextlib.asynccontextmanager
async def answering() -> AsyncIterator[None]:
    """Discord's refusal of a late answer, as the core's InteractionExpired."""
    try:
        yield
    except discord.HTTPException as error:
        if expired(error):
            raise InteractionExpired(str(error)) from error
        raise


MAX_FORM_FIELDS = 5
MAX_FORM_TITLE = 45
MAX_INPUT_LABEL = 45
MAX_PLACEHOLDER = 100
MAX_INPUT_LENGTH = 4000


def modal_for(form: Form) -> discord.ui.Modal:
    """A modal with one text input per field (Discord shows at most five). Stopped before
    it is sent: its submission reaches Ponte through `on_interaction`, not discord.py."""
    modal = discord.ui.Modal(
        title=cut(form.title, MAX_FORM_TITLE) or "Ponte", custom_id=form.custom_id, timeout=None
    )
    if len(form.fields) > MAX_FORM_FIELDS:
        log.warning("form has more fields than Discord shows", extra={"form": form.custom_id})
    for field in form.fields[:MAX_FORM_FIELDS]:
        modal.add_item(
            discord.ui.TextInput(
                label=cut(field.label, MAX_INPUT_LABEL) or field.name,
                custom_id=field.name,
                style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
                required=field.required,
                max_length=min(field.max_length, MAX_INPUT_LENGTH),
                placeholder=cut(field.placeholder, MAX_PLACEHOLDER) or None,
            )
        )
    modal.stop()
    return modal


class DiscordInteraction(Interaction):
    def __init__(
        self, raw: discord.Interaction, community_id: str, *, ack_after: float = ACK_AFTER
    ) -> None:
        self.raw = raw
        self.community_id = community_id
        self.ack_after = ack_after
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task[None] | None = None
        self._thinking = False  # a public "thinking" message waits for its answer

    # -- the 3-second window ---------------------------------------------------------

    def start_timer(self) -> None:
        self._timer = asyncio.create_task(self._acknowledge_later(), name="discord-ack")

    async def _acknowledge_later(self) -> None:
        await asyncio.sleep(self.ack_after)
        async with self._lock:
            if not self.raw.response.is_done():
                log.info("deferring a slow interaction", extra={"interaction": self.raw.id})
                await self._defer()

    async def _defer(self, *, ephemeral: bool = False) -> None:
        try:
            if self.raw.type is discord.InteractionType.component:
                await self.raw.response.defer()  # a deferred update of the pressed message
            else:
                await self.raw.response.defer(thinking=True, ephemeral=ephemeral)
                self._thinking = not ephemeral
        except discord.HTTPException as error:
            if expired(error):
                log.warning("interaction expired before it was deferred")
            else:
                log.exception("could not defer the interaction")

    async def defer(self, *, ephemeral: bool = False) -> None:
        async with self._lock:
            if not self.raw.response.is_done():
                await self._defer(ephemeral=ephemeral)

    async def finish(self) -> None:
        """After the core is done: stop the timer, and never leave Discord waiting."""
        async with self._lock:  # a deferral under way completes first
            if self._timer is not None:
                self._timer.cancel()
            try:
                if not self.raw.response.is_done():
                    if self.raw.type is discord.InteractionType.component:
                        await self.raw.response.defer()
                    else:
                        await self.raw.response.defer(thinking=True, ephemeral=True)
                        await self.raw.delete_original_response()
                elif self._thinking:
                    await self.raw.delete_original_response()
                    self._thinking = False
            except discord.HTTPException as error:
                log.warning("could not close the interaction", exc_info=not expired(error))
        if self._timer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer

    # -- answers ---------------------------------------------------------------------------

    def _ref(self, message_id: int | None, channel_id: int | None = None) -> MessageRef | None:
        channel = channel_id or self.raw.channel_id
        if message_id is None or channel is None:
            return None
        return MessageRef(PLATFORM, self.community_id, str(channel), str(message_id))

    async def reply(self, message: Message, *, ephemeral: bool = False) -> MessageRef | None:
        out = outgoing(message)
        async with self._lock, answering():
            response = self.raw.response
            if not response.is_done():
                sent = await response.send_message(**out.send_kwargs(), ephemeral=ephemeral)
                return None if ephemeral else self._ref(sent.message_id)
            if self._thinking and ephemeral:
                # The thinking message is public: it would become the private answer.
                with contextlib.suppress(discord.NotFound):
                    await self.raw.delete_original_response()
            self._thinking = False
            followup = await self.raw.followup.send(
                **out.send_kwargs(), ephemeral=ephemeral, wait=True
            )
            return None if ephemeral else self._ref(followup.id, followup.channel.id)

    async def update(self, message: Message) -> None:
        source = self.raw.message
        if source is None:
            log.warning("update without a pressed message: nothing to edit")
            return
        kwargs = outgoing(message).edit_kwargs()
        async with self._lock, answering():
            response = self.raw.response
            if not response.is_done():
                await response.edit_message(**kwargs)
            elif response.type in (
                discord.InteractionResponseType.deferred_message_update,
                discord.InteractionResponseType.message_update,
            ):
                await self.raw.edit_original_response(**kwargs)
            else:
                await source.edit(**kwargs)

    async def open_form(self, form: Form) -> None:
        async with self._lock, answering():
            if self.raw.response.is_done():
                raise RuntimeError("a form can only be the first answer to an interaction")
            await self.raw.response.send_modal(modal_for(form))
