"""Validation of outgoing message bodies and helpers for message components and mentions.

Limits follow Discord's documentation (message resource, embed limits, component reference).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .constants import ComponentType, MessageFlag
from .errors import EMPTY_MESSAGE, ApiError, form_error, nest_error

JSON = dict[str, Any]

USER_MENTION = re.compile(r"<@!?(\d{15,25})>")
ROLE_MENTION = re.compile(r"<@&(\d{15,25})>")
CHANNEL_MENTION = re.compile(r"<#(\d{15,25})>")
EVERYONE_MENTION = re.compile(r"@(everyone|here)\b")

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_ACTION_ROWS = 5
MAX_V2_COMPONENTS = 40
MESSAGE_FLAGS_SETTABLE = int(
    MessageFlag.SUPPRESS_EMBEDS | MessageFlag.SUPPRESS_NOTIFICATIONS | MessageFlag.IS_COMPONENTS_V2
)
INTERACTION_FLAGS_SETTABLE = MESSAGE_FLAGS_SETTABLE | int(MessageFlag.EPHEMERAL)
INTERACTIVE_COMPONENTS = {
    ComponentType.BUTTON,
    ComponentType.STRING_SELECT,
    ComponentType.USER_SELECT,
    ComponentType.ROLE_SELECT,
    ComponentType.MENTIONABLE_SELECT,
    ComponentType.CHANNEL_SELECT,
}
SELECT_TYPES = INTERACTIVE_COMPONENTS - {ComponentType.BUTTON}


def _merge(into: JSON, extra: JSON) -> None:
    for key, value in extra.items():
        if key in into and isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value)
        else:
            into[key] = value


class _Errors:
    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: list[str | int], code: str, message: str) -> None:
        _merge(self.tree, nest_error(path, form_error(code, message)))

    def max_length(self, path: list[str | int], value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def raise_if_any(self) -> None:
        if self.tree:
            raise ApiError.form(self.tree)


def walk_components(components: list[JSON] | None) -> Iterator[JSON]:
    """Every component, depth first (action rows, sections, containers, labels included)."""
    for component in components or []:
        if not isinstance(component, dict):
            continue
        yield component
        yield from walk_components(component.get("components"))
        accessory = component.get("accessory")
        if isinstance(accessory, dict):
            yield accessory
        inner = component.get("component")
        if isinstance(inner, dict):
            yield from walk_components([inner])


def find_component(components: list[JSON] | None, custom_id: str) -> JSON | None:
    for component in walk_components(components):
        if component.get("custom_id") == custom_id:
            return component
    return None


def validate_message_body(
    body: JSON,
    *,
    creating: bool,
    file_count: int = 0,
    interaction: bool = False,
    existing: JSON | None = None,
) -> None:
    """Raise :class:`ApiError` (400) like Discord does for an invalid create/edit body."""
    errors = _Errors()
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(["content"], "STRING_TYPE_CONVERT", "Could not interpret value as string.")
    errors.max_length(["content"], content, MAX_CONTENT)

    flags = body.get("flags")
    if flags is not None:
        allowed = INTERACTION_FLAGS_SETTABLE if interaction else MESSAGE_FLAGS_SETTABLE
        if not isinstance(flags, int) or flags & ~allowed:
            errors.add(["flags"], "MESSAGE_FLAGS_INVALID", "Invalid message flags")
    effective_flags = flags if isinstance(flags, int) else int((existing or {}).get("flags", 0))
    components_v2 = bool(effective_flags & MessageFlag.IS_COMPONENTS_V2)

    embeds = body.get("embeds")
    if embeds is not None:
        if not isinstance(embeds, list):
            errors.add(["embeds"], "LIST_TYPE_CONVERT", "Must be an array.")
        else:
            if len(embeds) > MAX_EMBEDS:
                errors.add(
                    ["embeds"], "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length."
                )
            _validate_embeds(errors, embeds)

    components = body.get("components")
    if components is not None:
        if not isinstance(components, list):
            errors.add(["components"], "LIST_TYPE_CONVERT", "Must be an array.")
        else:
            _validate_components(errors, components, components_v2)

    if components_v2:
        if content:
            errors.add(
                ["content"],
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        if embeds:
            errors.add(
                ["embeds"],
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )

    errors.raise_if_any()

    if creating:
        has_something = bool(
            content
            or embeds
            or components
            or file_count
            or body.get("sticker_ids")
            or body.get("poll")
            or body.get("attachments")
        )
        if not has_something:
            raise ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def _validate_embeds(errors: _Errors, embeds: list[Any]) -> None:
    total = 0
    for index, embed in enumerate(embeds):
        path: list[str | int] = ["embeds", index]
        if not isinstance(embed, dict):
            errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        errors.max_length([*path, "title"], embed.get("title"), 256)
        errors.max_length([*path, "description"], embed.get("description"), 4096)
        footer = embed.get("footer") or {}
        author = embed.get("author") or {}
        errors.max_length([*path, "footer", "text"], footer.get("text"), 2048)
        errors.max_length([*path, "author", "name"], author.get("name"), 256)
        if footer and not footer.get("text"):
            errors.add([*path, "footer", "text"], "BASE_TYPE_REQUIRED", "This field is required")
        for text in (
            embed.get("title"),
            embed.get("description"),
            footer.get("text"),
            author.get("name"),
        ):
            if isinstance(text, str):
                total += len(text)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors.add([*path, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for f_index, fld in enumerate(fields):
            f_path: list[str | int] = [*path, "fields", f_index]
            if not isinstance(fld, dict):
                errors.add(
                    f_path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
                )
                continue
            for key, limit in (("name", 256), ("value", 1024)):
                value = fld.get(key)
                if value is None or value == "":
                    errors.add([*f_path, key], "BASE_TYPE_REQUIRED", "This field is required")
                errors.max_length([*f_path, key], value, limit)
                if isinstance(value, str):
                    total += len(value)
        color = embed.get("color")
        if color is not None and (not isinstance(color, int) or not 0 <= color <= 0xFFFFFF):
            errors.add([*path, "color"], "NUMBER_TYPE_MAX", "int value should be <= 16777215.")
    if total > MAX_EMBED_TOTAL:
        errors.add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _validate_components(errors: _Errors, components: list[Any], components_v2: bool) -> None:
    seen_ids: set[str] = set()
    if not components_v2:
        if len(components) > MAX_ACTION_ROWS:
            errors.add(
                ["components"],
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_ACTION_ROWS} or fewer in length.",
            )
        for index, row in enumerate(components):
            path: list[str | int] = ["components", index]
            if not isinstance(row, dict) or row.get("type") != ComponentType.ACTION_ROW:
                errors.add(
                    [*path, "type"],
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (1,).',
                )
                continue
            _validate_action_row(errors, path, row, seen_ids)
        return
    total = sum(1 for _ in walk_components(components))
    if total > MAX_V2_COMPONENTS:
        errors.add(["components"], "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
    for index, component in enumerate(components):
        path = ["components", index]
        if isinstance(component, dict) and component.get("type") == ComponentType.ACTION_ROW:
            _validate_action_row(errors, path, component, seen_ids)


def _validate_action_row(
    errors: _Errors, path: list[str | int], row: JSON, seen_ids: set[str]
) -> None:
    children = row.get("components") or []
    if not children:
        errors.add(
            [*path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
        return
    kinds = {child.get("type") for child in children if isinstance(child, dict)}
    if len(children) > 5:
        errors.add(
            [*path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    if kinds & SELECT_TYPES and len(children) > 1:
        errors.add(
            [*path, "components"],
            "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            "The specified component exceeds the maximum width",
        )
    for c_index, child in enumerate(children):
        c_path: list[str | int] = [*path, "components", c_index]
        if not isinstance(child, dict):
            continue
        ctype = child.get("type")
        custom_id = child.get("custom_id")
        if isinstance(custom_id, str):
            errors.max_length([*c_path, "custom_id"], custom_id, 100)
            if custom_id in seen_ids:
                errors.add(
                    [*c_path, "custom_id"],
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen_ids.add(custom_id)
        if ctype == ComponentType.BUTTON:
            style = child.get("style")
            errors.max_length([*c_path, "label"], child.get("label"), 80)
            if style == 5:
                if not child.get("url"):
                    errors.add([*c_path, "url"], "BASE_TYPE_REQUIRED", "This field is required")
                if custom_id is not None:
                    errors.add(
                        [*c_path, "custom_id"],
                        "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                        "A custom id cannot be used with a link button",
                    )
            elif style == 6:
                if not child.get("sku_id"):
                    errors.add([*c_path, "sku_id"], "BASE_TYPE_REQUIRED", "This field is required")
            elif style in (1, 2, 3, 4):
                if not custom_id:
                    errors.add(
                        [*c_path, "custom_id"], "BASE_TYPE_REQUIRED", "This field is required"
                    )
            else:
                errors.add(
                    [*c_path, "style"],
                    "BASE_TYPE_CHOICES",
                    "Value must be one of (1, 2, 3, 4, 5, 6).",
                )
            if style != 6 and not child.get("label") and not child.get("emoji"):
                errors.add(
                    [*c_path, "label"],
                    "BUTTON_COMPONENT_INVALID_LABEL",
                    "A label or emoji is required",
                )
        elif ctype in SELECT_TYPES:
            if not custom_id:
                errors.add([*c_path, "custom_id"], "BASE_TYPE_REQUIRED", "This field is required")
            errors.max_length([*c_path, "placeholder"], child.get("placeholder"), 150)
            if ctype == ComponentType.STRING_SELECT:
                options = child.get("options") or []
                if not 1 <= len(options) <= 25:
                    errors.add(
                        [*c_path, "options"],
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 25 in length.",
                    )
        else:
            errors.add(
                [*c_path, "type"], "UNION_TYPE_CHOICES", "Invalid component type in action row"
            )


def parse_mentions(content: str | None) -> tuple[list[str], list[str], bool]:
    """User ids, role ids and whether ``@everyone``/``@here`` appear in ``content``."""
    if not content:
        return [], [], False
    users = list(dict.fromkeys(USER_MENTION.findall(content)))
    roles = list(dict.fromkeys(ROLE_MENTION.findall(content)))
    return users, roles, bool(EVERYONE_MENTION.search(content))


def apply_allowed_mentions(
    allowed: JSON | None,
    users: list[str],
    roles: list[str],
    everyone: bool,
) -> tuple[list[str], list[str], bool]:
    """Filter parsed mentions through an ``allowed_mentions`` object."""
    if allowed is None:
        return users, roles, everyone
    parse = set(allowed.get("parse") or [])
    allowed_users = {str(u) for u in allowed.get("users") or []}
    allowed_roles = {str(r) for r in allowed.get("roles") or []}
    users = [u for u in users if "users" in parse or u in allowed_users]
    roles = [r for r in roles if "roles" in parse or r in allowed_roles]
    return users, roles, everyone and "everyone" in parse
