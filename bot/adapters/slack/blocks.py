"""Cards and messages as Block Kit, with the plain-text fallback Slack shows in notifications.

A card becomes: a header (the title), a section (the text), one section per field (inline
fields side by side, ten to a section), an actions block with the buttons that are not
disabled (Slack has no disabled buttons), a context block (the footer). Block ids say what
each block is (`title`, `text`, `field-0`, …), so a test or a later edit can read them back;
in a message they end in `.` and a digest of what the message shows, because Slack wants a
new block id in each iteration of an updated message (`block_kind` reads the kind back).
Everything is escaped (see `text.py`) and cut to Slack's limits, never refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.text import clip, escape
from bot.core.cards import Button, ButtonStyle, Card, Field, Message

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_FIELDS_PER_SECTION = 10
MAX_CONTEXT = 3000
MAX_BUTTON_TEXT = 75
MAX_BUTTONS_PER_ACTIONS = 25
MAX_ACTION_ID = 255
MAX_FALLBACK = 3000
MAX_TEXT_ONLY = 39_000  # Slack cuts `text` at 40,000 characters
_STYLES = {
    ButtonStyle.PRIMARY: "primary",
    ButtonStyle.SUCCESS: "primary",
    ButtonStyle.DANGER: "danger",
}


@dataclass(frozen=True, slots=True)
class Rendered:
    """What `chat.postMessage` and friends need: `text` always, `blocks` for cards."""

    text: str
    blocks: list[Block]


def fit(raw: str, limit: int) -> str:
    """`raw` escaped, cut so that the escaped text holds at most `limit` characters."""
    size = limit
    while True:
        escaped = escape(clip(raw, size))
        if len(escaped) <= limit or size <= 1:
            return escaped[:limit]
        size -= len(escaped) - limit


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object: Slack draws it as typed, with no mentions or formatting."""
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": True}


def mrkdwn(raw: str, limit: int) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": fit(raw, limit) or " "}


def render(message: Message) -> Rendered:
    """A message as `text` and `blocks`; a text-only message needs no blocks."""
    card = message.card
    if card is None:
        return Rendered(fit(message.text, MAX_TEXT_ONLY) or " ", [])
    blocks: list[Block] = []
    if message.text:
        blocks.extend(_sections("message", message.text))
    blocks.extend(card_blocks(card))
    fallback = fit(message.fallback_text, MAX_FALLBACK) or " "
    return Rendered(fallback, _iteration(_within_limit(blocks)))


def _iteration(blocks: list[Block]) -> list[Block]:
    """The blocks with ids of this iteration of the message: the same content, the same ids."""
    shown = json.dumps(blocks, sort_keys=True, ensure_ascii=False).encode()
    tag = hashlib.blake2b(shown, digest_size=4).hexdigest()
    return [{**block, "block_id": f"{block['block_id']}.{tag}"} for block in blocks]


def block_kind(block_id: str) -> str:
    """What a message's block is (`title`, `field-0`, …), its iteration's digest left out."""
    return block_id.rsplit(".", 1)[0]


def card_blocks(card: Card) -> list[Block]:
    blocks: list[Block] = []
    if card.title.strip():
        blocks.append(
            {"type": "header", "block_id": "title", "text": plain(card.title, MAX_HEADER)}
        )
    if card.text.strip():
        blocks.extend(_sections("text", card.text))
    blocks.extend(_field_blocks(card.fields))
    if card.image is not None:
        # The picture itself is uploaded next to the message (Slack needs a URL or a file).
        name = card.image.description or card.image.filename
        blocks.append(
            {
                "type": "context",
                "block_id": "image",
                "elements": [mrkdwn(f"🖼 {name}", MAX_CONTEXT)],
            }
        )
    actions = _actions(card.buttons)
    if actions:
        blocks.append(actions)
    if card.footer.strip():
        blocks.append(
            {
                "type": "context",
                "block_id": "footer",
                "elements": [mrkdwn(card.footer, MAX_CONTEXT)],
            }
        )
    return blocks


def _sections(prefix: str, text: str) -> list[Block]:
    """One section per 3,000 characters of text (Slack's limit for one text object)."""
    chunks = [text[start : start + MAX_SECTION] for start in range(0, len(text), MAX_SECTION)]
    return [
        {
            "type": "section",
            "block_id": prefix if index == 0 else f"{prefix}-{index}",
            "text": mrkdwn(chunk, MAX_SECTION),
        }
        for index, chunk in enumerate(chunks)
        if chunk.strip()
    ]


def _field_text(item: Field, limit: int) -> dict[str, Any]:
    name = fit(item.name, 200)
    value = fit(item.value, max(limit - len(name) - 3, 1))
    return {"type": "mrkdwn", "text": f"*{name}*\n{value}" if name.strip() else value}


def _field_blocks(fields: tuple[Field, ...]) -> list[Block]:
    """A section per field; consecutive inline fields share sections, ten at most each."""
    blocks: list[Block] = []
    inline: list[Field] = []

    def flush() -> None:
        for start in range(0, len(inline), MAX_FIELDS_PER_SECTION):
            group = inline[start : start + MAX_FIELDS_PER_SECTION]
            blocks.append(
                {
                    "type": "section",
                    "block_id": f"fields-{len(blocks)}",
                    "fields": [_field_text(item, MAX_FIELD) for item in group],
                }
            )
        inline.clear()

    for item in fields:
        if item.inline:
            inline.append(item)
            continue
        flush()
        blocks.append(
            {
                "type": "section",
                "block_id": f"field-{len(blocks)}",
                "text": _field_text(item, MAX_SECTION),
            }
        )
    flush()
    return blocks


def button_element(button: Button) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(button.label, MAX_BUTTON_TEXT),
        "action_id": button.custom_id[:MAX_ACTION_ID],
        "value": button.custom_id,
    }
    style = _STYLES.get(button.style)
    if style is not None:
        element["style"] = style
    return element


def _actions(buttons: tuple[Button, ...]) -> Block | None:
    seen: set[str] = set()
    elements: list[Block] = []
    for button in buttons:
        # Slack wants action ids unique in a message; the same id would route the same anyway.
        if button.disabled or button.custom_id in seen:
            continue
        seen.add(button.custom_id)
        elements.append(button_element(button))
    if not elements:
        return None
    return {
        "type": "actions",
        "block_id": "buttons",
        "elements": elements[:MAX_BUTTONS_PER_ACTIONS],
    }


def _within_limit(blocks: list[Block]) -> list[Block]:
    """At most 50 blocks: drop field sections from the end, keep title, buttons and footer."""
    overflow = len(blocks) - MAX_BLOCKS
    if overflow <= 0:
        return blocks
    kept = list(blocks)
    for index in range(len(kept) - 1, -1, -1):
        if overflow <= 0:
            break
        if str(kept[index].get("block_id", "")).startswith(("field", "text-", "message-")):
            del kept[index]
            overflow -= 1
    return kept[:MAX_BLOCKS]
