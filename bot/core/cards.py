"""Cards: rich messages that adapters draw as embeds, Block Kit or text."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.model import Attachment


class ButtonStyle(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


# Platform limits the core enforces once so that no adapter has to truncate silently.
MAX_BUTTONS = 25
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 75
MAX_FIELDS = 25


@dataclass(frozen=True, slots=True)
class Button:
    """A button whose id routes to a cog and a database row, never to a callback in memory."""

    label: str
    custom_id: str
    style: ButtonStyle = ButtonStyle.SECONDARY
    disabled: bool = False

    def __post_init__(self) -> None:
        if len(self.custom_id) > MAX_CUSTOM_ID:
            raise ValueError(f"button id longer than {MAX_CUSTOM_ID}: {self.custom_id!r}")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Image:
    """An attached picture (a chart); `data` is PNG bytes."""

    filename: str
    data: bytes
    description: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    title: str
    text: str = ""
    fields: tuple[Field, ...] = ()
    buttons: tuple[Button, ...] = ()
    footer: str = ""
    image: Image | None = None
    color: int = 0x2E86DE

    def __post_init__(self) -> None:
        if len(self.buttons) > MAX_BUTTONS:
            raise ValueError("a card holds at most 25 buttons")
        if len(self.fields) > MAX_FIELDS:
            raise ValueError("a card holds at most 25 fields")

    def plain_text(self) -> str:
        """The card as plain text: notification fallback and platforms without rich messages."""
        lines = [self.title]
        if self.text:
            lines.append(self.text)
        for item in self.fields:
            lines.append(f"{item.name}: {item.value}")
        if self.footer:
            lines.append(self.footer)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Message:
    """What a cog sends: text, a card, or both."""

    text: str = ""
    card: Card | None = None
    # Files sent with the message (a CSV export): Discord attachments, Slack uploads in the
    # same channel, files the console saves and names.
    files: tuple[Attachment, ...] = ()

    @property
    def fallback_text(self) -> str:
        if self.text:
            return self.text
        return self.card.plain_text() if self.card else ""

    @property
    def buttons(self) -> tuple[Button, ...]:
        return self.card.buttons if self.card else ()


def progress_bar(fraction: float, width: int = 12) -> str:
    """A bar of block characters that every platform draws in a monospace-free font too."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


def as_message(content: str | Card | Message) -> Message:
    if isinstance(content, Message):
        return content
    if isinstance(content, Card):
        return Message(card=content)
    return Message(text=content)


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of a form (Discord modal, Slack modal, console prompt)."""

    name: str
    label: str
    required: bool = True
    multiline: bool = False
    max_length: int = 1000
    placeholder: str = ""


@dataclass(frozen=True, slots=True)
class Form:
    custom_id: str
    title: str
    fields: tuple[FormField, ...] = field(default_factory=tuple)
