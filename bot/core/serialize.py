"""Messages to and from JSON, to remember what the bot sent (without image bytes)."""

from __future__ import annotations

from typing import Any

from bot.core.cards import Button, ButtonStyle, Card, Field, Message


def message_to_json(message: Message) -> dict[str, Any]:
    data: dict[str, Any] = {"text": message.text}
    card = message.card
    if card is not None:
        data["card"] = {
            "title": card.title,
            "text": card.text,
            "fields": [[item.name, item.value, item.inline] for item in card.fields],
            "buttons": [
                [button.label, button.custom_id, button.style.value, button.disabled]
                for button in card.buttons
            ],
            "footer": card.footer,
            "color": card.color,
            "image": card.image.filename if card.image else None,
        }
    return data


def message_from_json(data: dict[str, Any]) -> Message:
    raw = data.get("card")
    if not raw:
        return Message(text=str(data.get("text", "")))
    card = Card(
        title=raw["title"],
        text=raw.get("text", ""),
        fields=tuple(
            Field(name, value, bool(inline)) for name, value, inline in raw.get("fields", [])
        ),
        buttons=tuple(
            Button(label, custom_id, ButtonStyle(style), bool(disabled))
            for label, custom_id, style, disabled in raw.get("buttons", [])
        ),
        footer=raw.get("footer", ""),
        color=int(raw.get("color", 0x2E86DE)),
    )
    return Message(text=str(data.get("text", "")), card=card)
