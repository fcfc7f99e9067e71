"""Application command registration: validation like Discord's and the stored command objects."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from .constants import OptionType
from .errors import UNKNOWN_APPLICATION_COMMAND, ApiError

JSON = dict[str, Any]

NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
CHAT_INPUT, USER, MESSAGE = 1, 2, 3
# "100 global CHAT_INPUT commands, 5 global USER commands, 5 global MESSAGE commands", and
# as many per guild.
MAX_COMMANDS = {CHAT_INPUT: 100, USER: 5, MESSAGE: 5}
CHOICE_TYPES = {OptionType.STRING, OptionType.INTEGER, OptionType.NUMBER}
SUB_TYPES = {OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP}


def _err(code: str, message: str) -> JSON:
    return {"_errors": [{"code": code, "message": message}]}


def _check_name(errors: JSON, name: Any, *, lowercase: bool) -> None:
    if not isinstance(name, str) or not name:
        errors["name"] = _err("BASE_TYPE_REQUIRED", "This field is required")
    elif len(name) > 32:
        errors["name"] = _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    elif lowercase and (not NAME_RE.match(name) or name != name.lower()):
        errors["name"] = _err("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_description(errors: JSON, description: Any, *, required: bool) -> None:
    if required:
        if not isinstance(description, str) or not description:
            errors["description"] = _err("BASE_TYPE_REQUIRED", "This field is required")
        elif len(description) > 100:
            errors["description"] = _err(
                "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
    elif description:
        errors["description"] = _err(
            "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
            "Context menu commands cannot have description",
        )


def _validate_options(options: Any, *, depth: int) -> JSON:
    errors: JSON = {}
    if options is None:
        return errors
    if not isinstance(options, list):
        return _err("LIST_TYPE_CONVERT", "Must be an array.")
    if len(options) > 25:
        return _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen: set[str] = set()
    optional_seen = False
    has_sub = any(isinstance(o, dict) and o.get("type") in SUB_TYPES for o in options)
    for index, option in enumerate(options):
        opt_errors: JSON = {}
        if not isinstance(option, dict):
            errors[str(index)] = _err("DICT_TYPE_CONVERT", "Only dictionaries may be used")
            continue
        otype = option.get("type")
        if otype not in {int(t) for t in OptionType}:
            opt_errors["type"] = _err("BASE_TYPE_CHOICES", "Value must be a valid option type.")
        _check_name(opt_errors, option.get("name"), lowercase=True)
        _check_description(opt_errors, option.get("description"), required=True)
        name = option.get("name")
        if isinstance(name, str):
            if name in seen:
                opt_errors["name"] = _err(
                    "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option name already exists"
                )
            seen.add(name)
        if otype in SUB_TYPES:
            if otype == OptionType.SUB_COMMAND_GROUP and depth > 0:
                opt_errors["type"] = _err(
                    "APPLICATION_COMMAND_OPTION_INVALID_SUB_COMMAND_GROUP",
                    "Sub-command groups can only be used at top level",
                )
            if otype == OptionType.SUB_COMMAND and depth > 1:
                opt_errors["type"] = _err(
                    "APPLICATION_COMMAND_OPTION_INVALID_SUB_COMMAND",
                    "Sub-commands can only be nested one level",
                )
            children = option.get("options")
            if (
                otype == OptionType.SUB_COMMAND_GROUP
                and isinstance(children, list)
                and any(
                    isinstance(c, dict) and c.get("type") != OptionType.SUB_COMMAND
                    for c in children
                )
            ):
                opt_errors["options"] = _err(
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command groups may only contain sub-commands",
                )
            nested = _validate_options(children, depth=depth + 1)
            if nested:
                opt_errors.setdefault("options", {}).update(nested)
            if option.get("required"):
                opt_errors["required"] = _err(
                    "APPLICATION_COMMAND_OPTION_REQUIRED_INVALID",
                    "Sub-commands cannot be required",
                )
        else:
            if has_sub:
                opt_errors["type"] = _err(
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Options cannot be mixed with sub-commands",
                )
            if option.get("required"):
                if optional_seen:
                    opt_errors["required"] = _err(
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                optional_seen = True
            choices = option.get("choices")
            if choices:
                if otype not in CHOICE_TYPES:
                    opt_errors["choices"] = _err(
                        "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                        "Choices are only allowed for string, integer and number options",
                    )
                elif len(choices) > 25:
                    opt_errors["choices"] = _err(
                        "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
                    )
                if option.get("autocomplete"):
                    opt_errors["autocomplete"] = _err(
                        "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES",
                        "Autocomplete cannot be used with choices",
                    )
        if opt_errors:
            errors[str(index)] = opt_errors
    return errors


def validate_commands(payload: Any) -> None:
    """Raise a 400 ``Invalid Form Body`` (code 50035) the way Discord rejects a bulk overwrite."""
    if not isinstance(payload, list):
        raise ApiError.form(_err("LIST_TYPE_CONVERT", "Must be an array."))
    errors: JSON = {}
    counts: dict[int, int] = {}
    names: set[tuple[int, str]] = set()
    for index, command in enumerate(payload):
        cmd_errors: JSON = {}
        if not isinstance(command, dict):
            errors[str(index)] = _err("DICT_TYPE_CONVERT", "Only dictionaries may be used")
            continue
        ctype = int(command.get("type") or CHAT_INPUT)
        if ctype not in MAX_COMMANDS:
            cmd_errors["type"] = _err("BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3).")
        counts[ctype] = counts.get(ctype, 0) + 1
        _check_name(cmd_errors, command.get("name"), lowercase=ctype == CHAT_INPUT)
        _check_description(cmd_errors, command.get("description"), required=ctype == CHAT_INPUT)
        key = (ctype, str(command.get("name")))
        if key in names:
            cmd_errors["name"] = _err(
                "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        names.add(key)
        if ctype == CHAT_INPUT:
            option_errors = _validate_options(command.get("options"), depth=0)
            if option_errors:
                cmd_errors["options"] = option_errors
        elif command.get("options"):
            cmd_errors["options"] = _err(
                "APPLICATION_COMMAND_OPTIONS_INVALID", "Context menu commands cannot have options"
            )
        if cmd_errors:
            errors[str(index)] = cmd_errors
    for ctype, count in counts.items():
        if count > MAX_COMMANDS.get(ctype, 0):
            errors["_errors"] = [
                {
                    "code": "APPLICATION_COMMAND_TOO_MANY",
                    "message": "Maximum number of application commands reached "
                    f"({MAX_COMMANDS[ctype]})",
                }
            ]
    if errors:
        raise ApiError.form(errors)


def drop_default_localizations(item: JSON) -> None:
    """Keep only the localizations that differ from the default, as Discord stores them
    ("Any localized values that are identical to the default will be ignored"); a
    dictionary left empty reads null."""
    for field in ("name", "description"):
        values = item.get(f"{field}_localizations")
        if isinstance(values, dict):
            kept = {locale: text for locale, text in values.items() if text != item.get(field)}
            item[f"{field}_localizations"] = kept or None
    for child in [*(item.get("options") or []), *(item.get("choices") or [])]:
        if isinstance(child, dict):
            drop_default_localizations(child)


class CommandStore:
    """Registered commands per scope: ``None`` for global, else a guild id."""

    def __init__(self, application_id: str, new_id: Callable[[], str]) -> None:
        self.application_id = application_id
        self._new_id = new_id
        self.scopes: dict[str | None, list[JSON]] = {}

    def get_all(self, guild_id: str | None) -> list[JSON]:
        return copy.deepcopy(self.scopes.get(guild_id, []))

    def _normalize(self, command: JSON, guild_id: str | None, previous: JSON | None) -> JSON:
        data = copy.deepcopy(command)
        ctype = int(data.get("type") or CHAT_INPUT)
        perms = data.get("default_member_permissions")
        data.update(
            {
                "id": previous["id"] if previous else self._new_id(),
                "application_id": self.application_id,
                "version": self._new_id(),
                "type": ctype,
                "description": data.get("description") or "",
                "default_member_permissions": None if perms is None else str(perms),
                "nsfw": bool(data.get("nsfw", False)),
                "name_localizations": data.get("name_localizations"),
                "description_localizations": data.get("description_localizations"),
            }
        )
        drop_default_localizations(data)
        data.setdefault("dm_permission", True)
        data.setdefault("contexts", None)
        data.setdefault("integration_types", [0])
        if guild_id is not None:
            data["guild_id"] = guild_id
        if ctype == CHAT_INPUT:
            data["options"] = data.get("options") or []
        return data

    def bulk_overwrite(self, guild_id: str | None, payload: Any) -> list[JSON]:
        validate_commands(payload)
        old = {(c["type"], c["name"]): c for c in self.scopes.get(guild_id, [])}
        stored = [
            self._normalize(c, guild_id, old.get((int(c.get("type") or 1), c.get("name"))))
            for c in payload
        ]
        self.scopes[guild_id] = stored
        return copy.deepcopy(stored)

    def upsert(self, guild_id: str | None, command: Any) -> tuple[JSON, bool]:
        validate_commands([command])
        commands = self.scopes.setdefault(guild_id, [])
        ctype = int(command.get("type") or 1)
        for index, existing in enumerate(commands):
            if existing["type"] == ctype and existing["name"] == command.get("name"):
                commands[index] = self._normalize(command, guild_id, existing)
                return copy.deepcopy(commands[index]), False
        created = self._normalize(command, guild_id, None)
        commands.append(created)
        return copy.deepcopy(created), True

    def get(self, guild_id: str | None, command_id: str) -> JSON:
        for command in self.scopes.get(guild_id, []):
            if command["id"] == command_id:
                return command
        raise ApiError(404, UNKNOWN_APPLICATION_COMMAND, "Unknown application command")

    def edit(self, guild_id: str | None, command_id: str, patch: JSON) -> JSON:
        command = self.get(guild_id, command_id)
        merged = {**command, **patch}
        for key in ("id", "application_id", "version", "guild_id"):
            merged.pop(key, None)
        validate_commands([merged])
        commands = self.scopes[guild_id]
        index = commands.index(command)
        commands[index] = self._normalize(merged, guild_id, command)
        return copy.deepcopy(commands[index])

    def delete(self, guild_id: str | None, command_id: str) -> None:
        command = self.get(guild_id, command_id)
        self.scopes[guild_id].remove(command)

    def find(self, name: str, ctype: int, guild_id: str | None) -> JSON | None:
        """The command a user would pick: guild commands shadow global ones."""
        scopes: list[str | None] = [guild_id, None] if guild_id else [None]
        for scope in scopes:
            for command in self.scopes.get(scope, []):
                if command["name"] == name and command["type"] == ctype:
                    return command
        return None
