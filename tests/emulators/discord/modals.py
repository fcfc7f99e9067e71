"""The checks Discord makes of a modal (interaction callback type 9) before showing it.

A modal has a title of 1-45 characters, a custom id and 1-5 top-level components. A text
input sits alone in an action row, or inside a Label (type 18) that gives its label; its
custom id is 1-100 characters, `label` at most 45, `placeholder` at most 100, `value` at
most 4000, `min_length` 0-4000 and `max_length` 1-4000 (components reference, Text Input).
"""

from __future__ import annotations

from typing import Any

from .constants import ComponentType
from .errors import ApiError, form_error, nest_error

JSON = dict[str, Any]
Path = list[str | int]
MAX_TITLE = 45
MAX_COMPONENTS = 5
MAX_LABEL = 45
MAX_DESCRIPTION = 100
MAX_CUSTOM_ID = 100
MAX_PLACEHOLDER = 100
MAX_TEXT = 4000
TEXT_STYLES = (1, 2)


class _Errors:
    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: Path, code: str, message: str) -> None:
        _merge(self.tree, nest_error(path, form_error(code, message)))

    def length(self, path: Path, value: Any, low: int, high: int, *, required: bool) -> None:
        if value is None and not required:
            return
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def number(self, path: Path, value: Any, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.add(path, "NUMBER_TYPE_COERCE", "Value is not int.")
        elif value < low:
            self.add(path, "NUMBER_TYPE_MIN", f"int value should be >= {low}.")
        elif value > high:
            self.add(path, "NUMBER_TYPE_MAX", f"int value should be <= {high}.")


def _merge(into: JSON, extra: JSON) -> None:
    for key, value in extra.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        else:
            into[key] = value


def validate_modal(data: JSON) -> None:
    """Raise 400 Invalid Form Body (under `data`) as Discord does for a modal it refuses."""
    errors = _Errors()
    errors.length(["custom_id"], data.get("custom_id"), 1, MAX_CUSTOM_ID, required=True)
    errors.length(["title"], data.get("title"), 1, MAX_TITLE, required=True)
    components = data.get("components")
    if not isinstance(components, list) or not 1 <= len(components) <= MAX_COMPONENTS:
        errors.add(
            ["components"],
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MAX_COMPONENTS} in length.",
        )
        components = []
    for index, component in enumerate(components):
        _top_level(errors, ["components", index], component)
    if errors.tree:
        raise ApiError.form({"data": errors.tree})


def _top_level(errors: _Errors, path: Path, component: Any) -> None:
    kind = component.get("type") if isinstance(component, dict) else None
    if kind == ComponentType.ACTION_ROW:
        children = component.get("components")
        if not isinstance(children, list) or len(children) != 1:
            errors.add(
                [*path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length."
            )
            return
        _text_input(errors, [*path, "components", 0], children[0], labelled=False)
    elif kind == ComponentType.LABEL:
        errors.length([*path, "label"], component.get("label"), 1, MAX_LABEL, required=True)
        errors.length(
            [*path, "description"],
            component.get("description"),
            1,
            MAX_DESCRIPTION,
            required=False,
        )
        inner = component.get("component")
        if isinstance(inner, dict) and inner.get("type") == ComponentType.TEXT_INPUT:
            _text_input(errors, [*path, "component"], inner, labelled=True)
        elif not isinstance(inner, dict):
            errors.add([*path, "component"], "BASE_TYPE_REQUIRED", "This field is required")
    elif kind != ComponentType.TEXT_DISPLAY:
        choices = 'Value of field "type" must be one of (1, 10, 18).'
        errors.add([*path, "type"], "UNION_TYPE_CHOICES", choices)


def _text_input(errors: _Errors, path: Path, item: Any, *, labelled: bool) -> None:
    if not isinstance(item, dict) or item.get("type") != ComponentType.TEXT_INPUT:
        errors.add([*path, "type"], "UNION_TYPE_CHOICES", "A modal's action row holds a text input")
        return
    errors.length([*path, "custom_id"], item.get("custom_id"), 1, MAX_CUSTOM_ID, required=True)
    # In a Label the label is the Label's; in an action row the input needs its own.
    errors.length([*path, "label"], item.get("label"), 1, MAX_LABEL, required=not labelled)
    if item.get("style") not in TEXT_STYLES:
        errors.add([*path, "style"], "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
    errors.length(
        [*path, "placeholder"], item.get("placeholder"), 0, MAX_PLACEHOLDER, required=False
    )
    errors.length([*path, "value"], item.get("value"), 0, MAX_TEXT, required=False)
    errors.number([*path, "min_length"], item.get("min_length"), 0, MAX_TEXT)
    errors.number([*path, "max_length"], item.get("max_length"), 1, MAX_TEXT)
