"""Cards drawn the Discord way: an embed, a row of buttons and an attached picture.

Every limit Discord enforces is applied here, so that a long poll question or a chatty
rules text is cut with an ellipsis instead of being refused with a 400.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.core.cards import Button, ButtonStyle, Card, Message
from bot.core.model import Attachment

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
MAX_CONTENT = 2000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_EMBED_TOTAL = 6000
MAX_BUTTON_LABEL = 80
BUTTONS_PER_ROW = 5
EMPTY = "\u200b"  # an embed field's name and value may not be empty

# Member text may say @everyone or name a role: only members are ever pinged.
ALLOWED_MENTIONS = discord.AllowedMentions(
    everyone=False, users=True, roles=False, replied_user=False
)

_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.SUCCESS: discord.ButtonStyle.success,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, an ellipsis showing where it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…" if limit > 0 else ""


class _Budget:
    """The 6000 characters an embed may hold in all, handed out in reading order."""

    def __init__(self, total: int = MAX_EMBED_TOTAL) -> None:
        self.left = total

    def take(self, text: str, limit: int) -> str:
        shown = cut(text, min(limit, self.left))
        self.left -= len(shown)
        return shown


def embed_for(card: Card) -> discord.Embed:
    # Every field keeps at least one character of name and value: reserve them.
    budget = _Budget(MAX_EMBED_TOTAL - 2 * len(card.fields))
    title = budget.take(card.title, MAX_TITLE)
    footer = budget.take(card.footer, MAX_FOOTER)
    # Field names first: a field without its name reads worse than a shorter description.
    names = [budget.take(item.name or EMPTY, MAX_FIELD_NAME) or EMPTY for item in card.fields]
    description = budget.take(card.text, MAX_DESCRIPTION)
    embed = discord.Embed(title=title or None, description=description or None, colour=card.color)
    for item, name in zip(card.fields, names, strict=True):
        value = budget.take(item.value or EMPTY, MAX_FIELD_VALUE) or EMPTY
        embed.add_field(name=name, value=value, inline=item.inline)
    if footer:
        embed.set_footer(text=footer)
    if card.image is not None:
        embed.set_image(url=f"attachment://{card.image.filename}")
    return embed


def view_for(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """The buttons, five to a row. The view is stopped before it is sent, so discord.py
    never stores it: a press reaches Ponte only through its registered dynamic item."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for index, button in enumerate(buttons):
        view.add_item(
            discord.ui.Button(
                label=cut(button.label, MAX_BUTTON_LABEL) or EMPTY,
                custom_id=button.custom_id,
                style=_STYLES.get(button.style, discord.ButtonStyle.secondary),
                disabled=button.disabled,
                row=index // BUTTONS_PER_ROW,
            )
        )
    view.stop()
    return view


@dataclass(slots=True)
class Outgoing:
    """One core message, ready for discord.py's send and edit calls."""

    content: str | None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    image: tuple[str, bytes, str] | None = None  # filename, PNG bytes, description
    attachments: tuple[Attachment, ...] = ()  # Message.files: a CSV export, say

    def files(self) -> list[discord.File]:
        """Fresh file objects: a discord.File is read once, so each call makes new ones."""
        found = [discord.File(io.BytesIO(item.data), item.filename) for item in self.attachments]
        if self.image is not None:
            filename, data, description = self.image
            found.insert(
                0, discord.File(io.BytesIO(data), filename, description=description or None)
            )
        return found

    def send_kwargs(self) -> dict[str, Any]:
        """Arguments for `send`, `send_message` and `followup.send`."""
        kwargs: dict[str, Any] = {"allowed_mentions": ALLOWED_MENTIONS, "embeds": self.embeds}
        if self.content:
            kwargs["content"] = self.content
        if self.view is not None:
            kwargs["view"] = self.view
        files = self.files()
        if files:
            kwargs["files"] = files
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Arguments for the edit calls: what is absent is cleared (text, buttons)."""
        kwargs: dict[str, Any] = {
            "allowed_mentions": ALLOWED_MENTIONS,
            "content": self.content or None,
            "embeds": self.embeds,
            "view": self.view,
        }
        files = self.files()
        if files:
            kwargs["attachments"] = files
        return kwargs


def outgoing(message: Message) -> Outgoing:
    card = message.card
    content = cut(message.text, MAX_CONTENT) if message.text else None
    if card is None:
        return Outgoing(
            # A message may be its files alone; an empty one needs a character to be sent.
            content=content
            or cut(message.fallback_text, MAX_CONTENT)
            or (None if message.files else EMPTY),
            attachments=message.files,
        )
    image = None
    if card.image is not None:
        image = (card.image.filename, card.image.data, card.image.description)
    return Outgoing(
        content=content,
        embeds=[embed_for(card)],
        view=view_for(card.buttons),
        image=image,
        attachments=message.files,
    )
