"""Block Kit validation, following the documented limits.

Validators return a list of Slack-style error strings
(``"<problem> [json-pointer:/blocks/0/text/text]"``); an empty list means valid.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCK_TYPES = frozenset(
    {"section", "context", "actions", "image", "divider", "header", "input"}
)
VIEW_BLOCK_TYPES = MESSAGE_BLOCK_TYPES
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100

TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
SELECT_TYPES = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
INPUT_ONLY_TYPES = frozenset(
    {
        "plain_text_input",
        "email_text_input",
        "url_text_input",
        "number_input",
        "rich_text_input",
        "file_input",
        "datetimepicker",
    }
)
INTERACTIVE_TYPES = frozenset(
    {
        "button",
        "overflow",
        "datepicker",
        "timepicker",
        "checkboxes",
        "radio_buttons",
        "workflow_button",
        *SELECT_TYPES,
    }
)
ACTIONS_ELEMENT_TYPES = INTERACTIVE_TYPES | {"datetimepicker", "rich_text_input"}
ACCESSORY_TYPES = INTERACTIVE_TYPES | {"image"}
INPUT_ELEMENT_TYPES = (
    INTERACTIVE_TYPES - {"button", "overflow", "workflow_button"}
) | INPUT_ONLY_TYPES


class _Checker:
    def __init__(self, *, allowed_block_types: frozenset[str]) -> None:
        self.errors: list[str] = []
        self.action_ids: dict[str, str] = {}
        self.block_ids: set[str] = set()
        self.allowed_block_types = allowed_block_types

    def err(self, message: str, pointer: str) -> None:
        self.errors.append(f"{message} [json-pointer:{pointer}]")

    # -- composition objects -------------------------------------------------

    def text(
        self,
        obj: Any,
        pointer: str,
        *,
        max_len: int,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        if obj is None:
            if required:
                self.err("missing required field: text", pointer)
            return
        if not isinstance(obj, dict):
            self.err("expected an object", pointer)
            return
        kind = obj.get("type")
        if kind not in TEXT_TYPES or (plain_only and kind != "plain_text"):
            expected = "plain_text" if plain_only else "plain_text or mrkdwn"
            self.err(f"must be a {expected} text object", pointer + "/type")
            return
        value = obj.get("text")
        if not isinstance(value, str):
            self.err("missing required field: text", pointer + "/text")
            return
        if len(value) == 0:
            self.err("must be more than 0 characters", pointer + "/text")
        if len(value) > max_len:
            self.err(f"must be less than {max_len + 1} characters", pointer + "/text")
        extra = set(obj) - {"type", "text", "emoji", "verbatim"}
        if extra:
            self.err(f"invalid additional property: {sorted(extra)[0]}", pointer)

    def option(self, obj: Any, pointer: str) -> None:
        if not isinstance(obj, dict):
            self.err("expected an object", pointer)
            return
        self.text(obj.get("text"), pointer + "/text", max_len=75)
        value = obj.get("value")
        if not isinstance(value, str) or not value:
            self.err("missing required field: value", pointer + "/value")
        elif len(value) > 150:
            self.err("must be less than 151 characters", pointer + "/value")

    def options(self, obj: Any, pointer: str, *, low: int, high: int) -> None:
        if not isinstance(obj, list):
            self.err("expected an array", pointer)
            return
        if not low <= len(obj) <= high:
            self.err(f"must provide between {low} and {high} items", pointer)
        for index, option in enumerate(obj):
            self.option(option, f"{pointer}/{index}")

    # -- elements ------------------------------------------------------------

    def action_id(self, element: dict[str, Any], pointer: str, *, required: bool) -> None:
        action_id = element.get("action_id")
        if action_id is None:
            if required:
                self.err("missing required field: action_id", pointer + "/action_id")
            return
        if not isinstance(action_id, str) or not action_id:
            self.err("must be a non-empty string", pointer + "/action_id")
            return
        if len(action_id) > 255:
            self.err("must be less than 256 characters", pointer + "/action_id")
        if action_id in self.action_ids:
            self.err(
                f"action_id {action_id!r} is already used at {self.action_ids[action_id]}",
                pointer + "/action_id",
            )
        else:
            self.action_ids[action_id] = pointer

    def element(self, element: Any, pointer: str, *, allowed: frozenset[str]) -> None:
        if not isinstance(element, dict):
            self.err("expected an object", pointer)
            return
        kind = element.get("type")
        if kind not in allowed:
            self.err(f"unsupported type: {kind}", pointer + "/type")
            return
        if kind == "image":
            self.image_element(element, pointer)
            return
        if kind == "button":
            self.text(element.get("text"), pointer + "/text", max_len=75, plain_only=True)
            self.action_id(element, pointer, required=True)
            value = element.get("value")
            if value is not None and (not isinstance(value, str) or len(value) > 2000):
                self.err("must be a string of less than 2001 characters", pointer + "/value")
            url = element.get("url")
            if url is not None and (not isinstance(url, str) or len(url) > 3000):
                self.err("must be a string of less than 3001 characters", pointer + "/url")
            style = element.get("style")
            if style is not None and style not in ("primary", "danger"):
                self.err("must be one of primary, danger", pointer + "/style")
            return
        self.action_id(element, pointer, required=False)
        placeholder = element.get("placeholder")
        if placeholder is not None:
            self.text(placeholder, pointer + "/placeholder", max_len=150, plain_only=True)
        if kind in ("static_select", "multi_static_select"):
            if "options" in element:
                self.options(element["options"], pointer + "/options", low=1, high=100)
            elif "option_groups" not in element:
                self.err("must provide options or option_groups", pointer)
        elif kind == "overflow":
            self.options(element.get("options"), pointer + "/options", low=1, high=5)
        elif kind in ("checkboxes", "radio_buttons"):
            self.options(element.get("options"), pointer + "/options", low=1, high=10)

    def image_element(self, element: dict[str, Any], pointer: str) -> None:
        if "image_url" not in element and "slack_file" not in element:
            self.err("missing required field: image_url", pointer + "/image_url")
        alt = element.get("alt_text")
        if not isinstance(alt, str) or not alt:
            self.err("missing required field: alt_text", pointer + "/alt_text")

    # -- blocks --------------------------------------------------------------

    def blocks(self, blocks: Any, pointer: str, *, max_blocks: int) -> None:
        if not isinstance(blocks, list):
            self.err("expected an array", pointer)
            return
        if len(blocks) > max_blocks:
            self.err(f"no more than {max_blocks} items allowed", pointer)
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.err("expected an object", pointer)
            return
        kind = block.get("type")
        if kind not in self.allowed_block_types:
            self.err(f"unsupported type: {kind}", pointer + "/type")
            return
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or not block_id or len(block_id) > 255:
                self.err("must be a string of 1 to 255 characters", pointer + "/block_id")
            elif block_id in self.block_ids:
                self.err(f"block_id {block_id!r} is already used", pointer + "/block_id")
            else:
                self.block_ids.add(block_id)
        if kind == "section":
            text = block.get("text")
            fields = block.get("fields")
            if text is None and fields is None:
                self.err("must provide text or fields", pointer)
            if text is not None:
                self.text(text, pointer + "/text", max_len=3000)
            if fields is not None:
                if not isinstance(fields, list):
                    self.err("expected an array", pointer + "/fields")
                else:
                    if len(fields) > 10:
                        self.err("no more than 10 items allowed", pointer + "/fields")
                    for index, item in enumerate(fields):
                        self.text(item, f"{pointer}/fields/{index}", max_len=2000)
            accessory = block.get("accessory")
            if accessory is not None:
                self.element(accessory, pointer + "/accessory", allowed=ACCESSORY_TYPES)
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements:
                self.err("must provide at least 1 element", pointer + "/elements")
                return
            if len(elements) > 10:
                self.err("no more than 10 items allowed", pointer + "/elements")
            for index, item in enumerate(elements):
                item_pointer = f"{pointer}/elements/{index}"
                if isinstance(item, dict) and item.get("type") == "image":
                    self.image_element(item, item_pointer)
                else:
                    self.text(item, item_pointer, max_len=3000)
        elif kind == "actions":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements:
                self.err("must provide at least 1 element", pointer + "/elements")
                return
            if len(elements) > 25:
                self.err("no more than 25 items allowed", pointer + "/elements")
            for index, item in enumerate(elements):
                self.element(item, f"{pointer}/elements/{index}", allowed=ACTIONS_ELEMENT_TYPES)
        elif kind == "image":
            self.image_element(block, pointer)
            if "title" in block:
                self.text(block["title"], pointer + "/title", max_len=2000, plain_only=True)
        elif kind == "header":
            self.text(block.get("text"), pointer + "/text", max_len=150, plain_only=True)
        elif kind == "input":
            self.text(block.get("label"), pointer + "/label", max_len=2000, plain_only=True)
            if "hint" in block:
                self.text(block["hint"], pointer + "/hint", max_len=2000, plain_only=True)
            element = block.get("element")
            if element is None:
                self.err("missing required field: element", pointer + "/element")
            else:
                self.element(element, pointer + "/element", allowed=INPUT_ELEMENT_TYPES)


def validate_message_blocks(blocks: Any) -> list[str]:
    """Errors for ``blocks`` of ``chat.postMessage``/``chat.update``/``chat.postEphemeral``."""
    checker = _Checker(allowed_block_types=MESSAGE_BLOCK_TYPES)
    checker.blocks(blocks, "/blocks", max_blocks=MAX_MESSAGE_BLOCKS)
    return checker.errors


def reused_block_ids(before: Any, after: Any) -> list[str]:
    """The block ids an update of a message keeps while it changes what the message shows:
    Slack wants "a new block_id" in "each iteration of a message" (Block Kit reference)."""
    if not isinstance(before, list) or not isinstance(after, list) or before == after:
        return []
    old = {block.get("block_id") for block in before if isinstance(block, dict)}
    return sorted(
        str(block["block_id"])
        for block in after
        if isinstance(block, dict) and block.get("block_id") in old
    )


def validate_view(view: Any) -> list[str]:
    """Errors for a ``view`` given to ``views.open``/``update``/``push``/``publish``."""
    checker = _Checker(allowed_block_types=VIEW_BLOCK_TYPES)
    if not isinstance(view, dict):
        return ["expected an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.err("must be one of modal, home", "/view/type")
        return checker.errors
    if kind == "modal":
        checker.text(view.get("title"), "/view/title", max_len=24, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                checker.text(view[key], f"/view/{key}", max_len=24, plain_only=True)
    blocks = view.get("blocks")
    if blocks is None:
        checker.err("missing required field: blocks", "/view/blocks")
        return checker.errors
    checker.blocks(blocks, "/view/blocks", max_blocks=MAX_VIEW_BLOCKS)
    if (
        kind == "modal"
        and isinstance(blocks, list)
        and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        and "submit" not in view
    ):
        checker.err("submit is required when the view has input blocks", "/view/submit")
    for key, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        value = view.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            checker.err(f"must be a string of less than {limit + 1} characters", f"/view/{key}")
    return checker.errors


def iter_elements(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every interactive element with the block that holds it."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "actions":
            for element in block.get("elements", []):
                if isinstance(element, dict):
                    found.append((block, element))
        elif block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            found.append((block, block["accessory"]))
        elif block.get("type") == "input" and isinstance(block.get("element"), dict):
            found.append((block, block["element"]))
    return found
