"""Messages drawn as text for a terminal: where they went, the card's fields and buttons."""

from __future__ import annotations

from bot.core.cards import Message


def render(where: str, message: Message, *, marker: str = "") -> str:
    head = f"[{where}]{' ' + marker if marker else ''}"
    lines: list[str] = []
    if message.text:
        text_lines = message.text.splitlines() or [""]
        lines.append(f"{head} {text_lines[0]}")
        lines.extend(f"  {line}" for line in text_lines[1:])
    card = message.card
    if card is not None:
        if not lines:
            lines.append(head)
        lines.append(f"  ┃ {card.title}")
        lines.extend(f"  ┃ {line}" for line in card.text.splitlines())
        for item in card.fields:
            lines.append(f"  ┃ {item.name}")
            lines.extend(f"  ┃   {line}" for line in item.value.splitlines())
        if card.image is not None:
            lines.append(f"  ┃ 🖼 {card.image.filename}")
        if card.footer:
            lines.append(f"  ┃ {card.footer}")
        if card.buttons:
            drawn = " ".join(
                f"({button.label})" if button.disabled else f"[{button.label}]"
                for button in card.buttons
            )
            lines.append(f"  ┃ {drawn}")
    return "\n".join(lines) if lines else head
